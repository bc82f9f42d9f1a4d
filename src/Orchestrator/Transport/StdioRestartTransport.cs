using Orchestrator.Reboot;
using Orchestrator.Reboot.Contract;
using Orchestrator.Tooling;

namespace Orchestrator.Transport;

/// <summary>
/// The restart's view of stdio: the pipes stay open across the exec; frames held by maintenance mode and frames read
/// but not dispatched are replayed by the next image, and the client's MCP session goes with them.
/// </summary>
internal sealed class StdioRestartTransport(StdioTransport transport, ProgressNotifier notifier) : IRestartTransport, IClientConnections
{
    public bool IsConnected => transport.IsConnected;
    public int InFlight => transport.Tracker.Count;
    public int Held => transport.Gate.HeldCount;

    public void EnterMaintenance() => transport.Gate.EnterMaintenance();

    public Task WaitUntilOnlyAsync(ToolCallContext restartCall, CancellationToken cancellationToken) =>
        transport.Tracker.WaitUntilOnlyAsync(restartCall.RequestId, cancellationToken);

    public void InterruptAllExcept(ToolCallContext restartCall)
    {
        foreach (var id in transport.Tracker.TakeOverAllExcept(restartCall.RequestId))
            transport.WriteError(id, JsonRpcErrorCodes.Interrupted, "Interrupted by a non-graceful restart (graceful:false); it may or may not have taken effect");
    }

    public Task FreezeAsync(ToolCallContext restartCall, bool graceful, CancellationToken cancellationToken)
    {
        transport.Reader.Freeze();
        transport.Gate.Close();
        // Status calls admitted during maintenance finish before the snapshot.
        return transport.Tracker.WaitUntilOnlyAsync(restartCall.RequestId, cancellationToken);
    }

    public string DescribeUnfrozen(ToolCallContext restartCall) => $"{transport.Tracker.Count - 1} call(s) still in flight";

    public TransportHandover Capture(ToolCallContext restartCall) =>
        new([.. transport.Gate.CopyHeldFrames(), .. transport.Reader.CopyUnconsumed()], transport.Session.Capture(), [], InheritedSockets.None);

    public void Resume()
    {
        var held = transport.Gate.Open();
        transport.Redispatch(held);
        if (!transport.InputStopped) transport.Reader.Unfreeze();
    }

    public void Progress(ToolCallContext restartCall, double percent, string message)
    {
        if (restartCall.ProgressToken is { } token) notifier.Progress(token, percent, message);
    }

    public ConnectionHealth Health()
    {
        var connected = transport.IsConnected;
        return new ConnectionHealth
        {
            ActiveConnections = connected ? 1 : 0,
            Status = connected ? (transport.Session.Initialized ? "connected" : "connected, not initialized") : "disconnected",
            Transport = "stdio",
        };
    }

    /// <summary>Over stdio an in-place restart keeps the pipes: a reachable session can always be carried across one.</summary>
    public (SessionTest? Wanted, AllSessionsTest All) Sessions(string? wanted, bool restartCapable)
    {
        var session = transport.Session;
        var reachable = transport.IsConnected;
        var capable = reachable && restartCapable;
        SessionTest? sessionTest = null;
        if (wanted is not null)
        {
            var known = string.Equals(wanted, session.Id, StringComparison.Ordinal);
            sessionTest = new SessionTest
            {
                SessionId = wanted,
                Reachable = known && reachable,
                ReconnectCapable = known && capable,
                Status = !known ? "unknown session" : reachable ? "reachable" : "disconnected",
            };
        }
        var all = new AllSessionsTest
        {
            TotalSessions = 1,
            ReachableSessions = reachable ? 1 : 0,
            ReconnectCapable = capable ? 1 : 0,
            Status = reachable ? $"session {session.Id} ({session.ClientName ?? "unnamed client"}) reachable, {session.RestartsSurvived} restart(s) survived" : "no reachable session",
        };
        return (sessionTest, all);
    }
}
