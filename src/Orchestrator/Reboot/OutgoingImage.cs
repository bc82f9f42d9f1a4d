using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Orchestrator.Native;
using Orchestrator.Reboot.Contract;
using Orchestrator.Reboot.Snapshot;
using Orchestrator.Storage;
using Orchestrator.Tooling;

namespace Orchestrator.Reboot;

/// <summary>
/// The old image's half of an in-place restart, in one function (<see cref="RestartAsync"/>): check what could stop it,
/// enter maintenance mode, drain (or interrupt) the calls in flight, suspend work in progress, stop the transport at a
/// message boundary, write the snapshot, close the store, and <c>execv</c> this binary with the <see cref="Handover"/>.
/// Every way out before the exec puts this image back to serving, out of maintenance mode; after the exec the new image
/// (<see cref="IncomingImage"/>) answers the restart call.
/// </summary>
internal sealed class OutgoingImage(
    RestartState state,
    IRestartTransport transport,
    IWorkSuspension work,
    Store store,
    RateLimiter limits,
    RestartSettings settings,
    RestartEffects effects,
    SuccessorCheck successor,
    TerminationSignals signals,
    TimeProvider clock,
    ILogger logger,
    Action flushLogs)
{
    private readonly RestartHistoryStore? _history = store.Database is { } database ? new RestartHistoryStore(database) : null;

    public async ValueTask<ToolOutcome<RestartServerResult>> RestartAsync(RestartServerArgs args, ToolCallContext call, CancellationToken cancellationToken)
    {
        if (!state.TryBegin()) return state.AlreadyRunning();
        try
        {
            return await RunAsync(new Attempt(args, call, Stopwatch.GetTimestamp(), clock.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            state.End();
        }
    }

    private async ValueTask<ToolOutcome<RestartServerResult>> RunAsync(Attempt a, CancellationToken cancellationToken)
    {
        Report(a, RestartPhase.Preparing, 0, "Checking restart preconditions");
        if (signals.Terminating.IsCancellationRequested) return Refuse(a, ErrorCode.ShutdownInProgress, ShuttingDown);
        if (_history is not { } history || store.Database is not { } database)
            return Refuse(a, ErrorCode.InitializationFailed, $"Reboot manager not initialized: {store.Error}");
        // A store that cannot be written (read-only), or whose file is no longer the one open (deleted or replaced: the
        // next image would start from whatever the path names, losing every acknowledged write), stops a restart here.
        if (database.WriteRefusal() is { } refusal)
            return Refuse(a, refusal.Code(), $"The store cannot carry a restart: {refusal.Message}");
        var executable = ProcessImage.ExecutablePath;
        if (ProcessImage.Problem(executable) is { } exeProblem) return Refuse(a, ErrorCode.ProcessFailed, exeProblem);
        var upgrade = LiveUpgrade.Staged(executable, a.Args.Reason);
        if (upgrade?.Problem() is { } upgradeProblem) return Refuse(a, ErrorCode.ProcessFailed, upgradeProblem);
        // The file that will be exec'd must prove it can take over (unless it is the very file this image runs): a
        // refusal here leaves everything as it was, a staged binary in place for the operator to replace.
        var successorPath = upgrade?.StagedPath ?? executable;
        var (successorProblem, successorFile) = await successor.CheckAsync(successorPath, Min(HandoverProbe.Deadline, Remaining(a)), cancellationToken)
            .ConfigureAwait(false);
        if (successorProblem is not null)
        {
            if (upgrade is not null) logger.LogWarning("Staged upgrade {Staged} left in place, not installed: {Problem}", upgrade.StagedPath, successorProblem);
            return Refuse(a, ErrorCode.ProcessFailed, upgrade is null ? successorProblem : $"staged upgrade: {successorProblem}");
        }
        if (SnapshotDirectory.Problem(settings.SnapshotDirectory) is { } dirProblem)
            return Refuse(a, ErrorCode.SystemNotReady, dirProblem);

        var reason = a.Args.Reason.ToWire();
        try
        {
            a.HistoryId = history.Begin(a.Args, reason, a.StartedAt.ToUnixTimeMilliseconds(), Environment.ProcessId, a.Call.Caller.SessionId,
                Remaining(a));
        }
        catch (StoreFaultException fault)
        {
            return Refuse(a, fault.Code(), fault.Kind == StoreFaultKind.Locked
                ? $"The store stayed locked past the {a.Args.Timeout}s timeout: {fault.Message}"
                : $"Cannot record the restart: {fault.Message}");
        }
        logger.LogInformation("Restart {Id} requested: reason={Reason} graceful={Graceful} preserve_state={Preserve} timeout={Timeout}s",
            a.HistoryId, reason, a.Args.Graceful, a.Args.PreserveState, a.Args.Timeout);
        if (Remaining(a) <= TimeSpan.Zero)
            return Abort(a, ErrorCode.TimeoutExceeded, $"The {a.Args.Timeout}s timeout passed while the restart was being recorded");
        // Every wait ends at the deadline, or as soon as a termination signal asks the server to end.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, signals.Terminating);
        deadline.CancelAfter(Remaining(a));

        // maintenance_mode: from here on, only the tools allowed during maintenance and pings reach the server; the rest is held.
        Report(a, RestartPhase.MaintenanceMode, 10, "Maintenance mode: new work is held until the restart completes");
        transport.EnterMaintenance();

        // suspending_tasks: let in-flight calls finish (graceful) or answer them now (not graceful).
        Report(a, RestartPhase.SuspendingTasks, 25, a.Args.Graceful ? "Waiting for in-flight calls to finish" : "Interrupting in-flight calls");
        if (a.Args.Graceful)
        {
            if (!await BeforeDeadline(transport.WaitUntilOnlyAsync(a.Call, deadline.Token)).ConfigureAwait(false))
                return signals.Terminating.IsCancellationRequested
                    ? Abort(a, ErrorCode.ShutdownInProgress, ShuttingDown)
                    : Abort(a, ErrorCode.TimeoutExceeded,
                        $"In-flight calls did not finish within the {a.Args.Timeout}s timeout ({transport.InFlight - 1} still running)");
        }
        else
        {
            transport.InterruptAllExcept(a.Call);
        }

        if (signals.Terminating.IsCancellationRequested) return Abort(a, ErrorCode.ShutdownInProgress, ShuttingDown);

        // Work in progress is suspended durably, so that whatever happens next it is never lost; the next image resumes it.
        try
        {
            a.SuspendedSubtasks = work.SuspendInProgress(Remaining(a));
        }
        catch (StoreFaultException fault)
        {
            return Abort(a, fault.Code(), $"Cannot suspend the subtasks in progress: {fault.Message}");
        }
        if (a.SuspendedSubtasks.Count > 0)
            Report(a, RestartPhase.SuspendingTasks, 35, $"Suspended {a.SuspendedSubtasks.Count} subtask(s) in progress");

        // serializing_state: stop reading at a message boundary, then capture what the next image must carry.
        Report(a, RestartPhase.SerializingState, 50, "Writing the state snapshot");
        if (!await BeforeDeadline(transport.FreezeAsync(a.Call, a.Args.Graceful, deadline.Token)).ConfigureAwait(false))
            return signals.Terminating.IsCancellationRequested
                ? Abort(a, ErrorCode.ShutdownInProgress, ShuttingDown)
                : Abort(a, ErrorCode.TimeoutExceeded,
                    $"Calls admitted during maintenance did not finish within the {a.Args.Timeout}s timeout ({transport.DescribeUnfrozen(a.Call)})");
        if (signals.Terminating.IsCancellationRequested) return Abort(a, ErrorCode.ShutdownInProgress, ShuttingDown);
        var carried = transport.Capture(a.Call);
        var handover = new Handover(Handover.SnapshotPathFor(settings.SnapshotDirectory, Environment.ProcessId), a.RequestIdJson, carried.Sockets);
        try
        {
            var snapshot = BuildSnapshot(a, reason, carried);
            var bytes = SnapshotWriter.Encode(snapshot, settings.DataDirectoryId, clock.GetUtcNow().ToUnixTimeMilliseconds(), Environment.ProcessId,
                settings.Identity.SnapshotFormat);
            effects.Snapshot.Write(handover.SnapshotPath, bytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Abort(a, ErrorCode.SystemNotReady, $"Cannot write the snapshot: {ex.Message}");
        }

        // closing_connections: release the store and flush the logs; the client's pipes and sockets stay open across the exec.
        Report(a, RestartPhase.ClosingConnections, 75, "Closing the database and flushing logs");
        store.Database?.Close();

        Report(a, RestartPhase.Finalizing, 90, "Replacing the process image");
        if (upgrade is not null)
        {
            try
            {
                upgrade.Install();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                ReopenStore();
                Handover.TryDelete(handover.SnapshotPath);
                return Abort(a, ErrorCode.ProcessFailed, $"Cannot install the staged binary {upgrade.StagedPath}: {ex.Message}");
            }
            logger.LogInformation("Restart {Id}: live upgrade, {Staged} installed as {Executable} (the previous binary kept as {Previous})",
                a.HistoryId, upgrade.StagedPath, executable, upgrade.PreviousPath);
        }
        logger.LogInformation("Restart {Id}: exec {Executable}", a.HistoryId, executable);
        flushLogs();
        // The file exec'd is the one that answered the probe (or this image's own): not one swapped in meanwhile. (A file
        // gone or no longer executable is left to execv to refuse, with its errno.)
        if (FileIdentity.Of(executable) is { } toExec && toExec != successorFile)
        {
            upgrade?.RollBack();
            ReopenStore();
            Handover.TryDelete(handover.SnapshotPath);
            return Abort(a, ErrorCode.ProcessFailed, $"executable {executable} changed after it was checked ({toExec}); not exec'd");
        }
        // The last moment a termination signal can stop the restart: past it, one stays pending for the next image.
        if (!signals.TryCommitExec())
        {
            upgrade?.RollBack();
            ReopenStore();
            Handover.TryDelete(handover.SnapshotPath);
            return Abort(a, ErrorCode.ShutdownInProgress, ShuttingDown);
        }
        var errno = effects.Exec.Exec(executable, handover.Arguments(executable, settings.UserArguments));
        signals.ExecFailed();

        // Still here: the exec failed and this image carries on, with the binary it was started from back in place.
        upgrade?.RollBack();
        ReopenStore();
        Handover.TryDelete(handover.SnapshotPath);
        return Abort(a, ErrorCode.ProcessFailed, $"execv({executable}) failed with errno {errno}");
    }

    /// <summary>The restart is abandoned after the store was closed: this image needs it again. If it cannot have it, it says so and serves on.</summary>
    private void ReopenStore()
    {
        try
        {
            store.Database?.Reopen();
        }
        catch (Exception ex) when (ex is StoreFaultException or Microsoft.Data.Sqlite.SqliteException or InvalidOperationException or IOException)
        {
            logger.LogCritical("The store could not be reopened after the restart was abandoned: {Message}", ex.Message);
        }
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

    private RestartSnapshot BuildSnapshot(Attempt a, string reason, TransportHandover carried) => new()
    {
        Pending = new PendingRestart(a.RequestIdJson, a.Args.Graceful, a.Args.PreserveState, a.Args.Timeout,
            reason, a.StartedAt.ToUnixTimeMilliseconds(), a.StartedTimestamp, a.HistoryId) { WriterVersion = settings.Identity.Version },
        ReplayBytes = carried.ReplayBytes,
        Session = a.Args.PreserveState ? carried.Session : null,
        HttpSessions = a.Args.PreserveState ? carried.HttpSessions : [],
        // Streams belong to sessions: without the sessions, no client could resume them.
        HttpEventStreams = a.Args.PreserveState ? carried.HttpEventStreams : [],
        HttpSubscriptions = a.Args.PreserveState ? carried.HttpSubscriptions : [],
        Subscriptions = a.Args.PreserveState ? carried.Subscriptions : null,
        RateLimits = limits.Export(),
        SuspendedSubtasks = a.SuspendedSubtasks,
        StatePreserved = a.Args.PreserveState,
        Lineage = settings.Lineage(),
    };

    /// <summary>Refused before anything changed: no history row, no maintenance mode.</summary>
    private ToolError Refuse(Attempt a, ErrorCode code, string message)
    {
        logger.LogWarning("Restart refused ({Code}): {Message}", code.ToWire(), message);
        Report(a, RestartPhase.Failed, 0, message, [message]);
        return new ToolError(code, message, "preparation_failed") { Details = [message] };
    }

    /// <summary>
    /// Gives up after maintenance mode began: serve again (held work included), resume the work, record the failure. The
    /// store may be what failed (full, locked): resuming and recording are then logged, never thrown, and the answer
    /// still goes out; a history row left open is closed as failed by the next cold start.
    /// </summary>
    private ToolError Abort(Attempt a, ErrorCode code, string message)
    {
        logger.LogWarning("Restart {Id} aborted ({Code}): {Message}", a.HistoryId, code.ToWire(), message);
        try
        {
            if (a.SuspendedSubtasks.Count > 0) work.Resume(a.SuspendedSubtasks);
        }
        catch (StoreFaultException fault)
        {
            logger.LogError("Restart {Id}: the suspended subtasks could not be resumed (they stay suspended, durably): {Message}", a.HistoryId, fault.Message);
        }
        transport.Resume();
        var elapsed = Stopwatch.GetElapsedTime(a.StartedTimestamp);
        try
        {
            _history?.Finish(a.HistoryId, false, "failed", elapsed.TotalMilliseconds, clock.GetUtcNow().ToUnixTimeMilliseconds(), code.ToWire(), message,
                wait: AbortWait);
        }
        catch (StoreFaultException fault)
        {
            logger.LogError("Restart {Id}: its failure could not be recorded: {Message}", a.HistoryId, fault.Message);
        }
        Report(a, RestartPhase.Failed, state.Progress.Progress, message, [message]);
        return new ToolError(code, message, "failed") { Details = [message] };
    }

    /// <summary>Why a restart is abandoned (or refused) once a termination signal asked the server to end.</summary>
    private string ShuttingDown => "The server is shutting down (" +
        (signals.Signal is { } signal ? TerminationSignals.Name(signal) + " received" : "it is ending") +
        "): the restart is abandoned and the server exits";

    /// <summary>How long an abandoned restart waits for the store to record its failure: the answer must not wait long.</summary>
    private static readonly TimeSpan AbortWait = TimeSpan.FromSeconds(1);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>What is left of the restart's timeout (zero or less once it has passed).</summary>
    private static TimeSpan Remaining(Attempt a) => TimeSpan.FromSeconds(a.Args.Timeout) - Stopwatch.GetElapsedTime(a.StartedTimestamp);

    private void Report(Attempt a, RestartPhase phase, double percent, string message, IReadOnlyList<string>? errors = null)
    {
        state.Report(new RestartProgress(phase, percent, message, a.StartedAt, a.StartedAt + TimeSpan.FromSeconds(a.Args.Timeout), errors ?? []));
        // Progress is sent for the phases that take time, not for the checks before them nor for the outcome: the
        // answer says how it ended, and the official TypeScript client handles a notification that arrives in the
        // same read as the answer after the answer, then reports it as an error (unknown progress token).
        if (phase is not (RestartPhase.Failed or RestartPhase.Preparing))
            transport.Progress(a.Call, percent, message);
        effects.Observer.Entered(phase.ToWire());
    }

    private sealed class Attempt(RestartServerArgs args, ToolCallContext call, long startedTimestamp, DateTimeOffset startedAt)
    {
        public RestartServerArgs Args { get; } = args;
        public ToolCallContext Call { get; } = call;
        public long StartedTimestamp { get; } = startedTimestamp;
        public DateTimeOffset StartedAt { get; } = startedAt;
        public long HistoryId { get; set; }
        public IReadOnlyList<string> SuspendedSubtasks { get; set; } = [];

        public string RequestIdJson => JsonRpcIds.ToJson(Call.RequestId);
    }
}

/// <summary>Where and as what this image restarts: fixed for its life.</summary>
/// <param name="UserArguments">The user's own flags, verbatim, for the next image (see <see cref="Handover.Arguments"/>).</param>
/// <param name="Lineage">This image's restart generation and served lists, for the next image (asked for at each restart, never at start).</param>
internal sealed record RestartSettings(string SnapshotDirectory, ulong DataDirectoryId, IReadOnlyList<string> UserArguments, ImageIdentity Identity,
    Func<ImageLineage> Lineage);
