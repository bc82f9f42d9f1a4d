using Orchestrator.Reboot;
using Orchestrator.Reboot.Contract;
using Orchestrator.Tooling;

namespace Orchestrator.Http;

/// <summary>
/// The restart's view of Streamable HTTP. Maintenance freezes every connection at its next request boundary (what
/// clients send meanwhile waits, unread, in the kernel) and stops accepting (new connections wait in the backlog);
/// requests already being served finish. Then the listening socket, every idle connection
/// and the restart call's own connection cross the exec by descriptor, and the next image answers the restart call.
/// A connection whose client is still sending a request head holds nothing: it is not read further, and the exec
/// closes it (no request of its began, so none is lost). A tool call whose client dropped its connection still counts as
/// in flight (<see cref="HttpCallsInFlight"/>): a graceful restart waits for its answer, which the kept response streams
/// then carry to the next image for the client to resume (<see cref="SseEventStore"/>).
/// </summary>
internal sealed class HttpRestartTransport(HttpTransport http) : IRestartTransport, IClientConnections
{
    private volatile bool _interrupting;

    public bool IsConnected => true;

    public int InFlight => Math.Max(http.Registry.Snapshot().Sum(c => c.ActiveRequests), http.Calls.Running);

    /// <summary>Connections frozen with a request waiting unread.</summary>
    public int Held => http.Registry.Snapshot().Count(c => c.HasUnreadData);

    public void EnterMaintenance()
    {
        _interrupting = false;
        http.Registry.FreezeAll();
        // A resumed stream waiting for more would hold its connection in a request: it ends now, and its client resumes
        // from its last event in whichever image answers it.
        http.EventStreams.EndWaitingReaders();
    }

    public async Task WaitUntilOnlyAsync(ToolCallContext restartCall, CancellationToken cancellationToken)
    {
        var own = OwnConnection(restartCall);
        await http.Registry.WaitUntilAsync(connections => connections.All(c => c.ActiveRequests == (c == own ? 1 : 0)), cancellationToken)
            .ConfigureAwait(false);
        // Then the calls whose connection is gone (no new call starts meanwhile: every connection is frozen or idle).
        await http.Calls.WaitUntilAtMostAsync(1, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Requests in flight are not waited for: their connections close with the exec, unanswered.</summary>
    public void InterruptAllExcept(ToolCallContext restartCall) => _interrupting = true;

    public Task FreezeAsync(ToolCallContext restartCall, bool graceful, CancellationToken cancellationToken)
    {
        http.Listener.PauseAccepting();
        http.Registry.FreezeAll();
        var own = OwnConnection(restartCall);
        return http.Registry.WaitUntilAsync(connections => connections.All(c =>
            c == own ? c.ActiveRequests == 1 && c.OutputSent
            : c.RestartView != ConnectionRestartView.InRequest || c.IsClosed || (_interrupting && c.ActiveRequests > 0)), cancellationToken);
    }

    public string DescribeUnfrozen(ToolCallContext restartCall)
    {
        var own = OwnConnection(restartCall);
        var stuck = http.Registry.Snapshot().Where(c => c != own && c.RestartView == ConnectionRestartView.InRequest && !c.IsClosed).Select(c => c.Describe());
        return $"connections not at a request boundary: {string.Join(", ", stuck)}" +
            (own is null ? " (the restart call's connection is unknown)" : $"; the restart call's {own.Describe()}");
    }

    public TransportHandover Capture(ToolCallContext restartCall)
    {
        var own = OwnConnection(restartCall);
        http.Socket.KeepAcrossExec();
        var idle = new List<int>();
        int? pending = null;
        foreach (var connection in http.Registry.Snapshot())
        {
            if (connection == own)
            {
                if (connection.KeepAcrossExec()) pending = connection.FileDescriptor;
            }
            else if (connection.AtBoundary && !connection.IsClosed && connection.KeepAcrossExec())
            {
                idle.Add(connection.FileDescriptor);
            }
            else
            {
                // Still sending a request head: no request may begin on it now; the exec closes it.
                connection.Abandon();
            }
        }
        var streaming = Caller(restartCall)?.AnswerEndsAStream == true;
        return new TransportHandover([], null, http.Sessions.Export(), new InheritedSockets(http.Socket.FileDescriptor, idle, pending, streaming))
        {
            // The SDK names a request's stream by the request id's text; the next image ends that stream with the restart's answer.
            HttpEventStreams = http.EventStreams.Export(Caller(restartCall)?.SessionId, restartCall.RequestId.Id?.ToString()),
            HttpSubscriptions = http.Subscriptions.Export(),
        };
    }

    public void Resume()
    {
        http.EventStreams.ServeReadersAgain();
        http.Socket.CloseOnExec();
        foreach (var connection in http.Registry.Snapshot()) connection.CloseOnExec();
        http.Registry.ThawAll();
        http.Listener.ResumeAccepting();
    }

    /// <summary>Over HTTP the restart reports no progress: its answer comes from the next image as one JSON response.</summary>
    public void Progress(ToolCallContext restartCall, double percent, string message)
    {
    }

    /// <summary>Over HTTP the server is reachable as long as it listens; the count is of open client connections.</summary>
    public ConnectionHealth Health()
    {
        var open = http.Registry.Count;
        return new ConnectionHealth
        {
            ActiveConnections = Math.Max(open, 1),
            Status = $"listening on http://{http.Listener.EndPoint}{HttpOptions.EndpointPath}: {open} connection(s), {http.Sessions.Count} session(s)",
            Transport = "http",
        };
    }

    /// <summary>Sessions named one by one in the status: the most recently active; the others are counted.</summary>
    public const int SessionsListed = 20;

    /// <summary>
    /// Every session is one a client can reach again with its id, in this image or the next: the sessions (2025-11-25
    /// clients) are carried across restarts. Stateless 2026-07-28 clients have no session to test. The status names the
    /// <see cref="SessionsListed"/> most recently active and counts the rest, however many clients opened sessions.
    /// </summary>
    public (SessionTest? Wanted, AllSessionsTest All) Sessions(string? wanted, bool restartCapable)
    {
        var sessions = http.Sessions;
        SessionTest? sessionTest = null;
        if (wanted is not null)
        {
            var known = sessions.Contains(wanted);
            sessionTest = new SessionTest
            {
                SessionId = wanted,
                Reachable = known,
                ReconnectCapable = known && restartCapable,
                Status = known ? $"reachable ({sessions.ClientName(wanted) ?? "unnamed client"}), {sessions.RestartsSurvived(wanted)} restart(s) survived" : "unknown session",
            };
        }
        var listed = sessions.MostRecent(SessionsListed);
        var total = sessions.Count;
        var more = total - listed.Count;
        var all = new AllSessionsTest
        {
            TotalSessions = total,
            ReachableSessions = total,
            ReconnectCapable = restartCapable ? total : 0,
            Status = total == 0
                ? "no HTTP sessions (stateless clients need none)"
                : string.Join("; ", listed.Select(s =>
                    $"session {s.Id} ({s.ClientName ?? "unnamed client"}) reachable, {s.RestartsSurvived} restart(s) survived, idle {s.Idle.TotalSeconds:F0}s")) +
                  (more > 0 ? $"; and {more} more (the {listed.Count} most recently active listed)" : ""),
        };
        return (sessionTest, all);
    }

    private static HttpCaller? Caller(ToolCallContext call) => call.Caller as HttpCaller;

    private static HandoverConnection? OwnConnection(ToolCallContext call) => Caller(call)?.Connection;
}
