using Orchestrator.Reboot.Contract;
using Orchestrator.Tooling;

namespace Orchestrator.Reboot.Handlers;

/// <summary>
/// <c>orchestrator_restart_server</c>: handed to the old image's half of the restart (<see cref="OutgoingImage"/>); a
/// successful call is answered by the next process image. A restart asked for while one runs is refused before it
/// counts against the rate limit.
/// </summary>
internal sealed class RestartServerHandler(RestartState state, OutgoingImage restart)
    : IToolHandler<RestartServerArgs, RestartServerResult>, IAdmissionCheck
{
    public ToolError? RefuseBeforeAdmission() => state.InProgress ? state.AlreadyRunning() : null;

    public ValueTask<ToolOutcome<RestartServerResult>> HandleAsync(RestartServerArgs args, ToolCallContext context, CancellationToken cancellationToken) =>
        restart.RestartAsync(args, context, cancellationToken);
}
