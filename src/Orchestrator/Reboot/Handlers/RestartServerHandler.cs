using Orchestrator.Hosting;
using Orchestrator.Reboot.Contract;
using Orchestrator.Tooling;

namespace Orchestrator.Reboot.Handlers;

/// <summary><c>orchestrator_restart_server</c>: rate-limited, then handed to the <see cref="RebootCoordinator"/>. A successful call is answered by the next process image.</summary>
internal sealed class RestartServerHandler(ServerRuntime runtime) : IToolHandler<RestartServerArgs, RestartServerResult>
{
    public ValueTask<ToolOutcome<RestartServerResult>> HandleAsync(RestartServerArgs args, ToolCallContext context, CancellationToken cancellationToken)
    {
        if (runtime.Reboot.InProgress)
            return ValueTask.FromResult<ToolOutcome<RestartServerResult>>(new ToolError(ErrorCode.ShutdownInProgress,
                $"A restart is already in progress (phase {runtime.Reboot.Progress.Phase.ToWire()})", runtime.Reboot.Progress.Phase.ToWire()));
        if (!runtime.RateLimiter.TryAdmit(context.ClientKey, RestartServerArgs.ToolName, out var retryAfter))
            return ValueTask.FromResult<ToolOutcome<RestartServerResult>>(ToolError.RateLimited(retryAfter));
        return runtime.Reboot.RestartAsync(args, context, cancellationToken);
    }
}
