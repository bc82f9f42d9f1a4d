using System.Text.Json;
using Orchestrator.Orchestration.Mcp;
using Orchestrator.Reboot;
using Orchestrator.Reboot.Contract;
using Orchestrator.Tooling;

namespace Orchestrator.Transport;

/// <summary>
/// The restart's view of stdio: the pipes stay open across the exec; frames held by maintenance mode and frames read
/// but not dispatched are replayed by the next image, and the client's MCP session goes with them.
/// </summary>
internal sealed class StdioRestartTransport(StdioTransport transport, ProgressNotifier notifier, ResourceSubscriptions subscriptions)
    : IRestartTransport, IClientConnections
{
    public bool IsConnected => transport.IsConnected;
    public int InFlight => transport.Tracker.Count;
    public int Held => transport.Gate.HeldCount;

    public void EnterMaintenance() => transport.Gate.EnterMaintenance();

    public Task WaitUntilOnlyAsync(ToolCallContext restartCall, CancellationToken cancellationToken) =>
        transport.Tracker.WaitUntilOnlyAsync(restartCall.RequestId, cancellationToken);

    /// <summary>
    /// Answers every call still in flight, saying which it is: a call whose handler had not started never will (safe to
    /// retry); one whose handler had started may have taken effect.
    /// </summary>
    public void InterruptAllExcept(ToolCallContext restartCall)
    {
        foreach (var taken in transport.Tracker.TakeOverAllExcept(restartCall.RequestId))
            transport.WriteError(taken.Id, JsonRpcErrorCodes.Interrupted, taken.MayHaveRun
                ? "Interrupted by a non-graceful restart (graceful:false) while it ran: it may or may not have taken effect"
                : "Interrupted by a non-graceful restart (graceful:false) before it started: it did not run and is safe to retry",
                InterruptionData(taken.MayHaveRun));
    }

    private static readonly JsonElement s_notStarted = JsonDocument.Parse("""{"started":false,"safe_to_retry":true}""").RootElement.Clone();
    private static readonly JsonElement s_mayHaveRun = JsonDocument.Parse("""{"started":true,"safe_to_retry":false}""").RootElement.Clone();

    /// <summary>The error's <c>data</c>, for clients that decide without reading the message.</summary>
    private static JsonElement InterruptionData(bool mayHaveRun) => mayHaveRun ? s_mayHaveRun : s_notStarted;

    public Task FreezeAsync(ToolCallContext restartCall, bool graceful, CancellationToken cancellationToken)
    {
        transport.Reader.Freeze();
        transport.Gate.Close();
        // Status calls admitted during maintenance finish before the snapshot.
        return transport.Tracker.WaitUntilOnlyAsync(restartCall.RequestId, cancellationToken);
    }

    public string DescribeUnfrozen(ToolCallContext restartCall) => $"{transport.Tracker.Count - 1} call(s) still in flight";

    public TransportHandover Capture(ToolCallContext restartCall) =>
        new([.. transport.Gate.CopyHeldFrames(), .. transport.Reader.CopyUnconsumed()], transport.Session.Capture(), [], InheritedSockets.None)
        {
            Subscriptions = subscriptions.Capture(),
        };

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
