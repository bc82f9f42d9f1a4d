using Orchestrator.Tooling;

namespace Orchestrator.Orchestration.Handlers;

/// <summary>
/// Serves one task tool through the <see cref="TaskOrchestrator"/>. The task tools differ only in which orchestrator
/// method they call, so one handler type takes that method; each is given the caller (its client's name, which a change
/// records as who made it unless the call names an agent, and its request id); all share the refusal when the store
/// failed to open (<paramref name="tasks"/> null, <paramref name="storeError"/> saying why).
/// </summary>
internal sealed class TaskToolHandler<TArgs, TResult>(TaskOrchestrator? tasks, string? storeError, Func<TaskOrchestrator, TArgs, TaskCaller, ToolOutcome<TResult>> call, string phase)
    : IToolHandler<TArgs, TResult>
    where TResult : IJsonWritable
{
    public ValueTask<ToolOutcome<TResult>> HandleAsync(TArgs args, ToolCallContext context, CancellationToken cancellationToken)
    {
        if (tasks is null)
            return ValueTask.FromResult<ToolOutcome<TResult>>(new ToolError(ErrorCode.InitializationFailed,
                $"Task store unavailable: {storeError ?? "not opened"}", phase));
        return ValueTask.FromResult(call(tasks, args, TaskCaller.From(context)));
    }
}
