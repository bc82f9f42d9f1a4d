using Orchestrator.Reboot.Contract;
using Orchestrator.Storage;
using Orchestrator.Tooling;

namespace Orchestrator.Reboot.Handlers;

/// <summary><c>orchestrator_restart_status</c>: the running or last restart of this process, and the durable history.</summary>
internal sealed class RestartStatusHandler(RestartState state, RestartHistoryStore? history, string? storeError, TimeProvider clock)
    : IToolHandler<RestartStatusArgs, RestartStatusResult>
{
    private const int RecentRestarts = 10;

    public ValueTask<ToolOutcome<RestartStatusResult>> HandleAsync(RestartStatusArgs args, ToolCallContext context, CancellationToken cancellationToken)
    {
        if (args.IncludeHistory && history is null)
            return ValueTask.FromResult<ToolOutcome<RestartStatusResult>>(new ToolError(ErrorCode.InitializationFailed,
                $"Restart history unavailable: {storeError}", "status"));
        RestartHistory? summary = null;
        try
        {
            if (args.IncludeHistory) summary = history!.Summary(RecentRestarts, args.IncludeErrorDetails);
        }
        catch (StoreFaultException fault)
        {
            return ValueTask.FromResult<ToolOutcome<RestartStatusResult>>(new ToolError(fault.Code(), $"Restart history unavailable: {fault.Message}", "status"));
        }
        var progress = state.Progress;
        var result = new RestartStatusResult
        {
            CurrentStatus = new CurrentRestartStatus
            {
                Phase = progress.Phase,
                Progress = progress.Progress,
                Message = progress.Message,
                StartedAt = progress.StartedAt,
                EstimatedCompletion = progress.EstimatedCompletion,
                Errors = args.IncludeErrorDetails ? progress.Errors : null,
                MaintenanceMode = progress.MaintenanceMode,
            },
            Timestamp = clock.GetUtcNow(),
            History = summary,
        };
        return ValueTask.FromResult<ToolOutcome<RestartStatusResult>>(result);
    }
}
