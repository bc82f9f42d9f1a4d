namespace Orchestrator.Tooling;

/// <summary>Implements one tool. Arguments arrive parsed and validated by generated code.</summary>
public interface IToolHandler<in TArgs, TResult> where TResult : IJsonWritable
{
    ValueTask<ToolOutcome<TResult>> HandleAsync(TArgs args, ToolCallContext context, CancellationToken cancellationToken);
}
