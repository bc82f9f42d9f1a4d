using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Orchestrator.Hosting;
using Orchestrator.Reboot.Contract;
using Orchestrator.Reboot.Snapshot;
using Orchestrator.Tooling;
using Orchestrator.Transport;

namespace Orchestrator.Reboot;

/// <summary>
/// The new image's half of a restart: answer the restart call the old image left pending, with the real duration
/// (first thing, before the store or the MCP server exist), then close its history row once the store is open.
/// When the snapshot could not be trusted, the answer is STATE_CORRUPTION and the server starts from durable state.
/// </summary>
internal sealed class RestartCompletion
{
    private readonly RestartSnapshot? _snapshot;
    private readonly string? _corruption;
    private readonly TimeSpan _elapsed;
    private readonly DateTimeOffset _completedAt;

    private RestartCompletion(RestartSnapshot? snapshot, string? corruption, TimeSpan elapsed, DateTimeOffset completedAt) =>
        (_snapshot, _corruption, _elapsed, _completedAt) = (snapshot, corruption, elapsed, completedAt);

    private const string CompletedMessage = "Restart completed successfully";

    /// <summary>Answers the pending restart call on the channel and returns what remains to be recorded.</summary>
    /// <summary>Where the answer goes: stdout, or the HTTP connection the restart call came on.</summary>
    public delegate void AnswerWriter(ReadOnlySpan<byte> jsonRpcMessage);

    public static RestartCompletion Answer(ServerRuntime runtime, RestartSnapshot? snapshot, string? corruption, string? requestIdJson, AnswerWriter answer)
    {
        var now = runtime.Clock.GetUtcNow();
        if (snapshot is not null)
        {
            var pending = snapshot.Pending;
            var elapsed = Stopwatch.GetElapsedTime(pending.StartedTimestamp);
            answer(ToolResultFrames.Success(Encoding.UTF8.GetBytes(pending.RequestIdJson), new RestartServerResult
            {
                Success = true,
                Graceful = pending.Graceful,
                PreserveState = pending.PreserveState,
                Timeout = pending.Timeout,
                Phase = RestartPhase.Complete,
                Progress = 100,
                Message = CompletedMessage + UpgradeNote(snapshot),
                RestartReason = pending.Reason,
                CompletedAt = now,
                Errors = [],
                Duration = Math.Round(elapsed.TotalSeconds, 6),
                Pid = Environment.ProcessId,
            }));
            var startedAt = DateTimeOffset.FromUnixTimeMilliseconds(pending.StartedUnixMs);
            runtime.Reboot.SetInitialProgress(new RestartProgress(StatusPhase.Complete, 100, CompletedMessage + UpgradeNote(snapshot), startedAt, now, []));
            return new RestartCompletion(snapshot, null, elapsed, now);
        }

        var error = $"Snapshot rejected, starting from durable state: {corruption}";
        runtime.Reboot.SetInitialProgress(new RestartProgress(StatusPhase.Failed, 100, error, null, now, [error]));
        if (requestIdJson is not null && IsJsonRpcId(requestIdJson))
            answer(ToolResultFrames.Failure(Encoding.UTF8.GetBytes(requestIdJson),
                new ToolError(ErrorCode.StateCorruption, error, "failed") { Details = [error] }, now));
        return new RestartCompletion(null, error, TimeSpan.Zero, now);
    }

    /// <summary>Closes the restart's history row (the store is open by now) and logs the outcome.</summary>
    public void Record(ServerRuntime runtime)
    {
        if (_snapshot is { Pending: var pending } snapshot)
        {
            // Subtasks suspended for the restart carry on; without preserved state they stay suspended (durable) for the client to resume.
            if (snapshot.StatePreserved && snapshot.SuspendedSubtasks.Count > 0) runtime.Tasks?.Resume(snapshot.SuspendedSubtasks);
            runtime.History?.Finish(pending.HistoryId, true, "complete", _elapsed.TotalMilliseconds, _completedAt.ToUnixTimeMilliseconds(),
                sessionRestored: snapshot.Session is not null);
            runtime.Logger.LogInformation("Restart {Id} complete in {Milliseconds:F2} ms; session {Restored}{Upgrade}",
                pending.HistoryId, _elapsed.TotalMilliseconds, snapshot.Session is not null ? "restored" : "not preserved", UpgradeNote(snapshot));
            return;
        }
        runtime.Logger.LogError("STATE_CORRUPTION: {Error}", _corruption);
        runtime.History?.FailUnfinished(ErrorCode.StateCorruption.ToWire(), _corruption!, _completedAt.ToUnixTimeMilliseconds(),
            pid => pid == Environment.ProcessId);
    }

    /// <summary>
    /// After a live upgrade, what changed: the server version (from the writer's, which format 1 did not record) and the
    /// snapshot format migrated on read. Empty for a restart into the same release.
    /// </summary>
    private static string UpgradeNote(RestartSnapshot snapshot)
    {
        var from = snapshot.Pending.WriterVersion;
        var migrated = snapshot.FormatVersion != SnapshotFormat.CurrentVersion;
        if (from == ServerInfo.Version && !migrated) return "";
        var note = $"; upgraded from {from ?? "an earlier release"} to {ServerInfo.Version}";
        return migrated ? note + $", snapshot format {snapshot.FormatVersion} migrated to {SnapshotFormat.CurrentVersion}" : note;
    }

    /// <summary>The id came through argv; it is written raw into the answer, so it must be a JSON string or number.</summary>
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
