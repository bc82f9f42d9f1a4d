using Orchestrator.Hosting;
using Orchestrator.Tooling;

namespace Orchestrator.Orchestration.Handlers;

/// <summary>
/// Serves one task tool through the runtime's <see cref="TaskOrchestrator"/>. The nine task tools differ only in
/// which orchestrator method they call, so one handler type takes that method; all share the refusal when the
/// store failed to open.
/// </summary>
internal sealed class TaskToolHandler<TArgs, TResult>(ServerRuntime runtime, Func<TaskOrchestrator, TArgs, ToolOutcome<TResult>> call, string phase)
    : IToolHandler<TArgs, TResult>
    where TResult : IJsonWritable
{
    public ValueTask<ToolOutcome<TResult>> HandleAsync(TArgs args, ToolCallContext context, CancellationToken cancellationToken)
    {
        if (runtime.Tasks is not { } tasks)
            return ValueTask.FromResult<ToolOutcome<TResult>>(new ToolError(ErrorCode.InitializationFailed,
                $"Task store unavailable: {runtime.InitializationError ?? "not opened"}", phase));
        return ValueTask.FromResult(call(tasks, args));
    }
}
