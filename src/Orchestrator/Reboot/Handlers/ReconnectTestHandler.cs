using Orchestrator.Hosting;
using Orchestrator.Reboot.Contract;
using Orchestrator.Tooling;

namespace Orchestrator.Reboot.Handlers;

/// <summary>
/// <c>orchestrator_reconnect_test</c>: checks the client sessions this server holds (over stdio, the one client on
/// our pipes), the requests buffered by maintenance mode, and reconnection statistics from the restart history.
/// </summary>
internal sealed class ReconnectTestHandler(ServerRuntime runtime) : IToolHandler<ReconnectTestArgs, ReconnectTestResult>
{
    public ValueTask<ToolOutcome<ReconnectTestResult>> HandleAsync(ReconnectTestArgs args, ToolCallContext context, CancellationToken cancellationToken)
    {
        if (!runtime.RateLimiter.TryAdmit(context.ClientKey, ReconnectTestArgs.ToolName, out var retryAfter))
            return ValueTask.FromResult<ToolOutcome<ReconnectTestResult>>(ToolError.RateLimited(retryAfter));
        if (args.IncludeReconnectionStats && runtime.History is null)
            return ValueTask.FromResult<ToolOutcome<ReconnectTestResult>>(new ToolError(ErrorCode.InitializationFailed,
                $"Reconnection statistics unavailable: {runtime.InitializationError}", "reconnect_test"));

        if (runtime.Http is { } http)
        {
            var (httpSession, httpAll) = HttpSessions(http, args.SessionId);
            return ValueTask.FromResult<ToolOutcome<ReconnectTestResult>>(Result(args, httpSession, httpAll, http.Registry.Snapshot().Count(c => c.HasUnreadData)));
        }

        var session = runtime.Session;
        var reachable = runtime.Transport.IsConnected;
        // Over stdio an in-place restart keeps the pipes: a reachable session can always be carried across one.
        var capable = reachable && ProcessImage.Problem(ProcessImage.ExecutablePath) is null;

        SessionTest? sessionTest = null;
        if (args.SessionId is { } wanted)
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

        return ValueTask.FromResult<ToolOutcome<ReconnectTestResult>>(Result(args, sessionTest, all, runtime.RestartTransport.Held));
    }

    /// <summary>
    /// Over HTTP every session is one a client can reach again with its id, in this image or the next: the sessions
    /// (2025-11-25 clients) are carried across restarts. Stateless 2026-07-28 clients have no session to test.
    /// </summary>
    private (SessionTest?, AllSessionsTest) HttpSessions(Http.HttpServing http, string? wanted)
    {
        var capable = ProcessImage.Problem(ProcessImage.ExecutablePath) is null;
        var ids = http.Sessions.Ids;
        SessionTest? sessionTest = null;
        if (wanted is not null)
        {
            var known = http.Sessions.Contains(wanted);
            sessionTest = new SessionTest
            {
                SessionId = wanted,
                Reachable = known,
                ReconnectCapable = known && capable,
                Status = known ? $"reachable ({http.Sessions.ClientName(wanted) ?? "unnamed client"}), {http.Sessions.RestartsSurvived(wanted)} restart(s) survived" : "unknown session",
            };
        }
        var all = new AllSessionsTest
        {
            TotalSessions = ids.Count,
            ReachableSessions = ids.Count,
            ReconnectCapable = capable ? ids.Count : 0,
            Status = ids.Count == 0
                ? "no HTTP sessions (stateless clients need none)"
                : string.Join("; ", ids.Order(StringComparer.Ordinal).Select(id =>
                    $"session {id} ({http.Sessions.ClientName(id) ?? "unnamed client"}) reachable, {http.Sessions.RestartsSurvived(id)} restart(s) survived")),
        };
        return (sessionTest, all);
    }

    private ReconnectTestResult Result(ReconnectTestArgs args, SessionTest? sessionTest, AllSessionsTest all, int held)
    {
        BufferStatus? buffers = null;
        if (args.IncludeBufferStatus)
        {
            buffers = new BufferStatus
            {
                TotalBufferedRequests = held,
                SessionsWithBuffers = held > 0 ? 1 : 0,
                Status = held == 0 ? "empty" : $"{held} request(s) held until the restart completes",
            };
        }

        ReconnectionStats? stats = null;
        if (args.IncludeReconnectionStats)
        {
            var (successful, failed, average) = runtime.History!.ReconnectionStats();
            stats = new ReconnectionStats
            {
                SuccessfulReconnections = successful,
                FailedReconnections = failed,
                AverageReconnectionTime = Math.Round(average, 6),
                Status = successful + failed == 0 ? "no restarts yet" : $"{successful} of {successful + failed} restarts kept the session",
            };
        }

        var passed = (sessionTest?.Reachable ?? true) && all.ReachableSessions == all.TotalSessions;
        var partial = !passed && all.ReachableSessions > 0;
        return new ReconnectTestResult
        {
            TestCompleted = true,
            Timestamp = runtime.Clock.GetUtcNow(),
            OverallStatus = passed ? ReconnectTestStatus.Pass : partial ? ReconnectTestStatus.Partial : ReconnectTestStatus.Fail,
            Results = new ReconnectResults { SessionTest = sessionTest, AllSessions = all, BufferStatus = buffers, ReconnectionStats = stats },
        };
    }
}
