using Orchestrator.Http;
using Orchestrator.Reboot;
using Orchestrator.Reboot.Snapshot;
using Orchestrator.Tooling;

namespace Orchestrator.Hosting;

/// <summary>
/// The HTTP transport's restart view, which also ends the long-lived event streams (the board's, the MCP sessions'
/// standalone streams) as maintenance begins: each such stream
/// is a request that never ends by itself, and the restart waits for every connection to reach a request boundary.
/// Everything else is the transport's.
/// </summary>
internal sealed class EventStreamsEndingRestart(IRestartTransport inner, EventStreamStop streams) : IRestartTransport
{
    public bool IsConnected => inner.IsConnected;
    public int InFlight => inner.InFlight;
    public int Held => inner.Held;

    public void EnterMaintenance()
    {
        inner.EnterMaintenance();
        streams.EndAll();
    }

    public Task WaitUntilOnlyAsync(ToolCallContext restartCall, CancellationToken cancellationToken) => inner.WaitUntilOnlyAsync(restartCall, cancellationToken);
    public void InterruptAllExcept(ToolCallContext restartCall) => inner.InterruptAllExcept(restartCall);
    public Task FreezeAsync(ToolCallContext restartCall, bool graceful, CancellationToken cancellationToken) => inner.FreezeAsync(restartCall, graceful, cancellationToken);
    public string DescribeUnfrozen(ToolCallContext restartCall) => inner.DescribeUnfrozen(restartCall);
    public TransportHandover Capture(ToolCallContext restartCall) => inner.Capture(restartCall);
    public void Resume() => inner.Resume();
    public void Progress(ToolCallContext restartCall, double percent, string message) => inner.Progress(restartCall, percent, message);
}
