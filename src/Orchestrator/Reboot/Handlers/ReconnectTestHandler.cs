using Orchestrator.Reboot.Contract;
using Orchestrator.Storage;
using Orchestrator.Tooling;

namespace Orchestrator.Reboot.Handlers;

/// <summary>
/// <c>orchestrator_reconnect_test</c>: checks the client sessions this server holds (over stdio, the one client on our
/// pipes; over HTTP, every session), the requests buffered by maintenance mode, and reconnection statistics from the
/// restart history.
/// </summary>
internal sealed class ReconnectTestHandler(
    IClientConnections clients,
    IRestartTransport transport,
    RestartHistoryStore? history,
    string? storeError,
    TimeProvider clock)
    : IToolHandler<ReconnectTestArgs, ReconnectTestResult>
{
    public ValueTask<ToolOutcome<ReconnectTestResult>> HandleAsync(ReconnectTestArgs args, ToolCallContext context, CancellationToken cancellationToken)
    {
        if (args.IncludeReconnectionStats && history is null)
            return ValueTask.FromResult<ToolOutcome<ReconnectTestResult>>(new ToolError(ErrorCode.InitializationFailed,
                $"Reconnection statistics unavailable: {storeError}", "reconnect_test"));

        // A session can be carried across a restart when the restart can happen: the executable is there to exec.
        var capable = ProcessImage.Problem(ProcessImage.ExecutablePath) is null;
        var (sessionTest, all) = clients.Sessions(args.SessionId, capable);
        var held = transport.Held;

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
            int successful, failed;
            double average;
            try
            {
                (successful, failed, average) = history!.ReconnectionStats();
            }
            catch (StoreFaultException fault)
            {
                return ValueTask.FromResult<ToolOutcome<ReconnectTestResult>>(new ToolError(fault.Code(),
                    $"Reconnection statistics unavailable: {fault.Message}", "reconnect_test"));
            }
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
        return ValueTask.FromResult<ToolOutcome<ReconnectTestResult>>(new ReconnectTestResult
        {
            TestCompleted = true,
            Timestamp = clock.GetUtcNow(),
            OverallStatus = passed ? ReconnectTestStatus.Pass : partial ? ReconnectTestStatus.Partial : ReconnectTestStatus.Fail,
            Results = new ReconnectResults { SessionTest = sessionTest, AllSessions = all, BufferStatus = buffers, ReconnectionStats = stats },
        });
    }
}
