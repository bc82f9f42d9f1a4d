using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Orchestrator.Hosting;
using Orchestrator.Reboot.Contract;
using Orchestrator.Reboot.Snapshot;
using Orchestrator.Tooling;
using Orchestrator.Transport;

namespace Orchestrator.Reboot;

/// <summary>
/// Runs an in-place restart: maintenance mode, drain (or take over) in-flight calls, freeze stdin at a frame
/// boundary, write the snapshot, close the store, <c>execv</c>. Every way out before the exec restores the old
/// image to serving, out of maintenance mode; after the exec the next image answers the restart call.
/// </summary>
internal sealed class RebootCoordinator(ServerRuntime runtime)
{
    private readonly SemaphoreSlim _single = new(1, 1);
    private RestartProgress _progress = RestartProgress.Idle;

    public RestartProgress Progress => Volatile.Read(ref _progress);
    public bool InProgress => _single.CurrentCount == 0;

    /// <summary>Sets the status shown before any restart in this image (e.g. the restart that started it).</summary>
    public void SetInitialProgress(RestartProgress progress) => Volatile.Write(ref _progress, progress);

    public async ValueTask<ToolOutcome<RestartServerResult>> RestartAsync(RestartServerArgs args, ToolCallContext context, CancellationToken cancellationToken)
    {
        if (!await _single.WaitAsync(0, cancellationToken).ConfigureAwait(false))
            return new ToolError(ErrorCode.ShutdownInProgress, $"A restart is already in progress (phase {Progress.Phase.ToWire()})", Progress.Phase.ToWire());
        var attempt = new Attempt(args, context, Stopwatch.GetTimestamp(), runtime.Clock.GetUtcNow());
        try
        {
            return await RunAsync(attempt, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _single.Release();
        }
    }

    private async ValueTask<ToolOutcome<RestartServerResult>> RunAsync(Attempt a, CancellationToken cancellationToken)
    {
        var log = runtime.Logger;
        Report(a, StatusPhase.Preparing, 0, "Checking restart preconditions");
        if (runtime.History is not { } history)
            return Refuse(a, ErrorCode.InitializationFailed, $"Reboot manager not initialized: {runtime.InitializationError}");
        var executable = ProcessImage.ExecutablePath;
        if (ProcessImage.Problem(executable) is { } exeProblem) return Refuse(a, ErrorCode.ProcessFailed, exeProblem);
        var upgrade = LiveUpgrade.Staged(executable, a.Args.Reason);
        if (upgrade?.Problem() is { } upgradeProblem) return Refuse(a, ErrorCode.ProcessFailed, upgradeProblem);
        if (SnapshotDirectory.Problem(runtime.Options.SnapshotDirectory) is { } dirProblem)
            return Refuse(a, ErrorCode.SystemNotReady, dirProblem);

        var reason = a.Args.Reason.ToWire();
        a.HistoryId = history.Begin(a.Args, reason, a.StartedAt.ToUnixTimeMilliseconds(), Environment.ProcessId, a.Context.HttpCaller?.SessionId ?? runtime.Session.Id);
        log.LogInformation("Restart {Id} requested: reason={Reason} graceful={Graceful} preserve_state={Preserve} timeout={Timeout}s",
            a.HistoryId, reason, a.Args.Graceful, a.Args.PreserveState, a.Args.Timeout);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(a.Args.Timeout) - Stopwatch.GetElapsedTime(a.StartedTimestamp));

        // maintenance_mode: from here on, only the reboot tools and pings reach the server; the rest is held.
        Report(a, StatusPhase.MaintenanceMode, 10, "Maintenance mode: new work is held until the restart completes");
        runtime.RestartTransport.EnterMaintenance();

        // suspending_tasks: let in-flight calls finish (graceful) or answer them now (not graceful).
        Report(a, StatusPhase.SuspendingTasks, 25, a.Args.Graceful ? "Waiting for in-flight calls to finish" : "Interrupting in-flight calls");
        if (a.Args.Graceful)
        {
            if (!await BeforeDeadline(runtime.RestartTransport.WaitUntilOnlyAsync(a.Context, deadline.Token)).ConfigureAwait(false))
                return Abort(a, ErrorCode.TimeoutExceeded,
                    $"In-flight calls did not finish within the {a.Args.Timeout}s timeout ({runtime.RestartTransport.InFlight - 1} still running)");
        }
        else
        {
            runtime.RestartTransport.InterruptAllExcept(a.Context);
        }

        // Work in progress is suspended durably, so that whatever happens next it is never lost; the next image resumes it.
        a.SuspendedSubtasks = runtime.Tasks?.SuspendInProgress() ?? [];
        if (a.SuspendedSubtasks.Count > 0)
            Report(a, StatusPhase.SuspendingTasks, 35, $"Suspended {a.SuspendedSubtasks.Count} subtask(s) in progress");

        // serializing_state: stop reading at a frame boundary, then capture what the next image must carry.
        Report(a, StatusPhase.SerializingState, 50, "Writing the state snapshot");
        if (!await BeforeDeadline(runtime.RestartTransport.FreezeAsync(a.Context, a.Args.Graceful, deadline.Token)).ConfigureAwait(false))
            return Abort(a, ErrorCode.TimeoutExceeded,
                $"Calls admitted during maintenance did not finish within the {a.Args.Timeout}s timeout ({runtime.RestartTransport.DescribeUnfrozen(a.Context)})");
        var snapshotPath = Path.Combine(runtime.Options.SnapshotDirectory, $"restart-{Environment.ProcessId}.snap");
        var handover = runtime.RestartTransport.Capture(a.Context);
        try
        {
            var snapshot = BuildSnapshot(a, reason, handover);
            var bytes = SnapshotWriter.Encode(snapshot, runtime.DataDirectoryId, runtime.Clock.GetUtcNow().ToUnixTimeMilliseconds(), Environment.ProcessId,
                TestBuildIdentity.SnapshotFormatVersion ?? SnapshotFormat.CurrentVersion);
            SnapshotWriter.WriteAtomically(snapshotPath, runtime.TestHooks.DamageSnapshot(bytes));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Abort(a, ErrorCode.SystemNotReady, $"Cannot write the snapshot: {ex.Message}");
        }

        // closing_connections: release the store and flush the logs; the client's pipes stay open across the exec.
        Report(a, StatusPhase.ClosingConnections, 75, "Closing the database and flushing logs");
        runtime.Database?.Close();

        Report(a, StatusPhase.Finalizing, 90, "Replacing the process image");
        if (upgrade is not null)
        {
            try
            {
                upgrade.Install();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                runtime.Database?.Reopen();
                TryDelete(snapshotPath);
                return Abort(a, ErrorCode.ProcessFailed, $"Cannot install the staged binary {upgrade.StagedPath}: {ex.Message}");
            }
            log.LogInformation("Restart {Id}: live upgrade, {Staged} installed as {Executable} (the previous binary kept as {Previous})",
                a.HistoryId, upgrade.StagedPath, executable, upgrade.PreviousPath);
        }
        log.LogInformation("Restart {Id}: exec {Executable}", a.HistoryId, executable);
        runtime.FlushLogs(); 
        var argv = new List<string> { executable, "--resume", snapshotPath, "--resume-request", a.RequestIdJson };
        argv.AddRange(runtime.Options.RestartArguments);
        argv.AddRange(handover.ExecArguments);
        var errno = runtime.TestHooks.FailExec ? 2 : ProcessImage.Exec(executable, argv);

        // Still here: the exec failed and this image carries on, with the binary it was started from back in place.
        upgrade?.RollBack();
        runtime.Database?.Reopen();
        TryDelete(snapshotPath);
        return Abort(a, ErrorCode.ProcessFailed, $"execv({executable}) failed with errno {errno}");
    }

    /// <summary>Whether a wait on the transport completed before the restart's deadline cancelled it.</summary>
    private static async Task<bool> BeforeDeadline(Task wait)
    {
        try
        {
            await wait.ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private RestartSnapshot BuildSnapshot(Attempt a, string reason, TransportHandover handover)
    {
        var session = runtime.Session;
        return new RestartSnapshot
        {
            Pending = new PendingRestart(a.RequestIdJson, a.ProgressTokenJson, a.Args.Graceful, a.Args.PreserveState, a.Args.Timeout,
                reason, a.StartedAt.ToUnixTimeMilliseconds(), a.StartedTimestamp, a.HistoryId) { WriterVersion = ServerInfo.Version },
            ReplayBytes = handover.ReplayBytes,
            HttpSessions = a.Args.PreserveState ? runtime.Http?.Sessions.Export() ?? [] : [],
            Session = a.Args.PreserveState
                ? new SessionSnapshot(session.Id, session.CreatedAt.ToUnixTimeMilliseconds(), session.ProtocolVersion, session.ClientInfoJson,
                    session.CapabilitiesJson, session.Initialized, session.RestartsSurvived) { LoggingLevel = session.LoggingLevel }
                : null,
            RateLimits = runtime.RateLimiter.Export(),
            SuspendedSubtasks = a.SuspendedSubtasks,
            StatePreserved = a.Args.PreserveState,
        };
    }

    /// <summary>Refused before anything changed: no history row, no maintenance mode.</summary>
    private ToolError Refuse(Attempt a, ErrorCode code, string message)
    {
        runtime.Logger.LogWarning("Restart refused ({Code}): {Message}", code.ToWire(), message);
        Report(a, StatusPhase.Failed, 0, message, [message]);
        return new ToolError(code, message, "preparation_failed") { Details = [message] };
    }

    /// <summary>Gives up after maintenance mode began: reopen the gate, replay what it held, record the failure.</summary>
    private ToolError Abort(Attempt a, ErrorCode code, string message)
    {
        runtime.Logger.LogWarning("Restart {Id} aborted ({Code}): {Message}", a.HistoryId, code.ToWire(), message);
        if (a.SuspendedSubtasks.Count > 0) runtime.Tasks?.Resume(a.SuspendedSubtasks);
        runtime.RestartTransport.Resume();
        var elapsed = Stopwatch.GetElapsedTime(a.StartedTimestamp);
        runtime.History?.Finish(a.HistoryId, false, "failed", elapsed.TotalMilliseconds, runtime.Clock.GetUtcNow().ToUnixTimeMilliseconds(),
            code.ToWire(), message);
        Report(a, StatusPhase.Failed, Progress.Progress, message, [message]);
        return new ToolError(code, message, "failed") { Details = [message] };
    }

    private void Report(Attempt a, StatusPhase phase, double percent, string message, IReadOnlyList<string>? errors = null)
    {
        Volatile.Write(ref _progress, new RestartProgress(phase, percent, message, a.StartedAt,
            a.StartedAt + TimeSpan.FromSeconds(a.Args.Timeout), errors ?? []));
        // Progress is sent for the phases that take time, not for the checks before them nor for the outcome: the
        // answer says how it ended, and the official TypeScript client handles a notification that arrives in the
        // same read as the answer after the answer, then reports it as an error (unknown progress token).
        if (phase is not (StatusPhase.Failed or StatusPhase.Preparing))
            runtime.RestartTransport.Progress(a.Context, percent, message);
        runtime.TestHooks.PauseAt(phase.ToWire());
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { }
    }

    private sealed class Attempt(RestartServerArgs args, ToolCallContext context, long startedTimestamp, DateTimeOffset startedAt)
    {
        public RestartServerArgs Args { get; } = args;
        public ToolCallContext Context { get; } = context;
        public long StartedTimestamp { get; } = startedTimestamp;
        public DateTimeOffset StartedAt { get; } = startedAt;
        public long HistoryId { get; set; }
        public IReadOnlyList<string> SuspendedSubtasks { get; set; } = [];

        public string RequestIdJson => JsonRpcIds.ToJson(Context.RequestId);
        public string? ProgressTokenJson => Context.ProgressToken is { } token ? JsonRpcIds.ToJson(token) : null;
    }
}
