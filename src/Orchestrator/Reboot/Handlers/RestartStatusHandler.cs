using Orchestrator.Hosting;
using Orchestrator.Reboot.Contract;
using Orchestrator.Tooling;

namespace Orchestrator.Reboot.Handlers;

/// <summary><c>orchestrator_restart_status</c>: the running or last restart of this process, and the durable history.</summary>
internal sealed class RestartStatusHandler(ServerRuntime runtime) : IToolHandler<RestartStatusArgs, RestartStatusResult>
{
    private const int RecentRestarts = 10;

    public ValueTask<ToolOutcome<RestartStatusResult>> HandleAsync(RestartStatusArgs args, ToolCallContext context, CancellationToken cancellationToken)
    {
        if (!runtime.RateLimiter.TryAdmit(context.ClientKey, RestartStatusArgs.ToolName, out var retryAfter))
            return ValueTask.FromResult<ToolOutcome<RestartStatusResult>>(ToolError.RateLimited(retryAfter));
        if (args.IncludeHistory && runtime.History is null)
            return ValueTask.FromResult<ToolOutcome<RestartStatusResult>>(new ToolError(ErrorCode.InitializationFailed,
                $"Restart history unavailable: {runtime.InitializationError}", "status"));
        var progress = runtime.Reboot.Progress;
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
            Timestamp = runtime.Clock.GetUtcNow(),
            History = args.IncludeHistory ? runtime.History!.Summary(RecentRestarts, args.IncludeErrorDetails) : null,
        };
        return ValueTask.FromResult<ToolOutcome<RestartStatusResult>>(result);
    }
}
