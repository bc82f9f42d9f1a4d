using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Orchestrator.Reboot.Contract;
using Orchestrator.Reboot.Snapshot;
using Orchestrator.Storage;
using Orchestrator.Tooling;

namespace Orchestrator.Reboot;

/// <summary>
/// The new image's half of an in-place restart, in the order the host calls it:
/// <list type="number">
/// <item><see cref="Read"/>: take what the old image handed over (<see cref="Handover"/>): the snapshot, or why it cannot be trusted;</item>
/// <item><see cref="AnswerRestartCall"/>: answer the restart call first of all, with its real duration, before the store or
/// the MCP server exist (what the client waits for); STATE_CORRUPTION when the snapshot was refused;</item>
/// <item><see cref="Complete"/>: once the store is open, resume the suspended work and close the restart's history row.</item>
/// </list>
/// At a cold start there is no handover; <see cref="Complete"/> then closes the restarts that died with their process and
/// removes their snapshots.
/// </summary>
internal sealed class IncomingImage
{
    private const string CompletedMessage = "Restart completed successfully";

    private readonly Handover? _handover;
    private readonly string? _corruption;
    private readonly ImageIdentity _identity;
    private TimeSpan _elapsed;
    private DateTimeOffset _answeredAt;

    private IncomingImage(Handover? handover, RestartSnapshot? snapshot, string? corruption, ImageIdentity identity)
    {
        _handover = handover;
        Snapshot = snapshot;
        _corruption = corruption;
        _identity = identity;
    }

    /// <summary>The state carried across, when there was a handover and its snapshot could be trusted.</summary>
    public RestartSnapshot? Snapshot { get; }

    public InheritedSockets Sockets => _handover?.Sockets ?? InheritedSockets.None;

    /// <summary>
    /// How many in-place restarts this process has made: 0 at a cold start, one more than the image before otherwise (1
    /// when that image's snapshot was refused or did not say: at least this restart happened).
    /// </summary>
    public int Generation => _handover is null ? 0 : (Snapshot?.Lineage?.Generation ?? 0) + 1;

    /// <summary>
    /// The kinds of list (<c>tools</c>, <c>prompts</c>, <c>resources</c>) this image serves otherwise than the one before:
    /// what its clients are told changed. None at a cold start or when no session was carried across.
    /// </summary>
    public IReadOnlyList<string> ChangedLists(IReadOnlyList<ServedList> served) =>
        Snapshot is { } snapshot ? ImageLineage.ChangedKinds(snapshot.Lineage, served) : [];

    /// <summary>Reads the handover (null: a cold start); a snapshot that cannot be trusted is reported, never applied.</summary>
    public static IncomingImage Read(Handover? handover, ulong dataDirectoryId, ImageIdentity identity, IRestartObserver observer)
    {
        if (handover is null) return new IncomingImage(null, null, null, identity);
        RestartSnapshot? snapshot = null;
        string? corruption = null;
        try
        {
            snapshot = handover.TakeSnapshot(dataDirectoryId);
        }
        catch (SnapshotCorruptException ex)
        {
            corruption = ex.Message;
        }
        observer.Entered("resuming");
        return new IncomingImage(handover, snapshot, corruption, identity);
    }

    /// <summary>Where the answer goes: stdout, or the HTTP connection the restart call came on.</summary>
    public delegate void AnswerWriter(ReadOnlySpan<byte> jsonRpcMessage);

    /// <summary>Answers the restart call the old image left pending (nothing at a cold start) and sets the restart status.</summary>
    public void AnswerRestartCall(AnswerWriter answer, RestartState state, TimeProvider clock)
    {
        if (_handover is null) return;
        _answeredAt = clock.GetUtcNow();
        if (Snapshot is { Pending: var pending })
        {
            _elapsed = Stopwatch.GetElapsedTime(pending.StartedTimestamp);
            var message = CompletedMessage + UpgradeNote(Snapshot);
            answer(ToolResultFrames.Success(Encoding.UTF8.GetBytes(pending.RequestIdJson), new RestartServerResult
            {
                Success = true,
                Graceful = pending.Graceful,
                PreserveState = pending.PreserveState,
                Timeout = pending.Timeout,
                Phase = RestartAnswerPhase.Complete,
                Progress = 100,
                Message = message,
                RestartReason = pending.Reason,
                CompletedAt = _answeredAt,
                Errors = [],
                Duration = Math.Round(_elapsed.TotalSeconds, 6),
                Pid = Environment.ProcessId,
            }));
            state.Report(new RestartProgress(RestartPhase.Complete, 100, message, DateTimeOffset.FromUnixTimeMilliseconds(pending.StartedUnixMs), _answeredAt, []));
            return;
        }

        var error = RejectedMessage;
        state.Report(new RestartProgress(RestartPhase.Failed, 100, error, null, _answeredAt, [error]));
        // The id came through argv: it is written raw into the answer, so it must be a JSON string or number.
        if (_handover.RequestIdJson is { } id && IsJsonRpcId(id))
            answer(ToolResultFrames.Failure(Encoding.UTF8.GetBytes(id), new ToolError(ErrorCode.StateCorruption, error, "failed") { Details = [error] }, _answeredAt));
    }

    /// <summary>
    /// With the store open (<paramref name="history"/> null when it could not be): after a restart, resumes the work
    /// suspended for it and closes its history row; at a cold start, fails the restarts left open by processes that no
    /// longer exist (killed, crashed, power lost) and deletes their snapshots, which nothing will read.
    /// </summary>
    public void Complete(RestartHistoryStore? history, IWorkSuspension work, string snapshotDirectory, TimeProvider clock, ILogger logger)
    {
        if (_handover is null)
        {
            Recording(logger, "the restarts left open by ended processes could not be closed", () =>
                history?.FailUnfinished("PROCESS_FAILED", "restart interrupted: the process ended before a new image took over",
                    clock.GetUtcNow().ToUnixTimeMilliseconds(), pid => !IsAnotherLiveProcess(pid)));
            Handover.RemoveOrphanedSnapshots(snapshotDirectory, IsAnotherLiveProcess);
            return;
        }
        if (Snapshot is { Pending: var pending } snapshot)
        {
            // Subtasks suspended for the restart carry on; without preserved state they stay suspended (durable) for the client to resume.
            if (snapshot.StatePreserved && snapshot.SuspendedSubtasks.Count > 0)
                Recording(logger, "the suspended subtasks could not be resumed (they stay suspended)", () => work.Resume(snapshot.SuspendedSubtasks));
            // Carried across: the stdio client's session, or the HTTP clients' sessions.
            var sessionRestored = snapshot.Session is not null || snapshot.HttpSessions.Count > 0;
            Recording(logger, $"restart {pending.HistoryId} could not be recorded as complete", () =>
                history?.Finish(pending.HistoryId, true, "complete", _elapsed.TotalMilliseconds, _answeredAt.ToUnixTimeMilliseconds(),
                    sessionRestored: sessionRestored));
            logger.LogInformation("Restart {Id} complete in {Milliseconds:F2} ms; session {Restored}{Upgrade}",
                pending.HistoryId, _elapsed.TotalMilliseconds, sessionRestored ? "restored" : "not preserved", UpgradeNote(snapshot));
            return;
        }
        logger.LogError("STATE_CORRUPTION: {Error}", _corruption);
        Recording(logger, "the refused restart could not be recorded as failed", () =>
            history?.FailUnfinished(ErrorCode.StateCorruption.ToWire(), _corruption!, _answeredAt.ToUnixTimeMilliseconds(), pid => pid == Environment.ProcessId));
    }

    /// <summary>
    /// Writes of the history and the work at start-up: the store may be open but unwritable (read-only, full, locked by
    /// another process). The server serves all the same and reports the store's state; the failure is logged.
    /// </summary>
    private static void Recording(ILogger logger, string what, Action write)
    {
        try
        {
            write();
        }
        catch (StoreFaultException fault)
        {
            logger.LogError("Store: {What}: {Message}", what, fault.Message);
        }
    }

    private string RejectedMessage => $"Snapshot rejected, starting from durable state: {_corruption}";

    /// <summary>At a cold start, a record of this very pid is a dead predecessor's (pids are reused), never ours.</summary>
    private static bool IsAnotherLiveProcess(int pid) => pid != Environment.ProcessId && Directory.Exists($"/proc/{pid}");

    /// <summary>
    /// After a live upgrade, what changed: the server version (from the writer's, which format 1 did not record) and the
    /// snapshot format migrated on read. Empty for a restart into the same release.
    /// </summary>
    private string UpgradeNote(RestartSnapshot snapshot)
    {
        var from = snapshot.Pending.WriterVersion;
        var migrated = snapshot.FormatVersion != SnapshotFormat.CurrentVersion;
        if (from == _identity.Version && !migrated) return "";
        var note = $"; upgraded from {from ?? "an earlier release"} to {_identity.Version}";
        return migrated ? note + $", snapshot format {snapshot.FormatVersion} migrated to {SnapshotFormat.CurrentVersion}" : note;
    }

    private static bool IsJsonRpcId(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind is JsonValueKind.String or JsonValueKind.Number;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
