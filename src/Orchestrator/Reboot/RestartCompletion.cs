using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using Orchestrator.Hosting;
using Orchestrator.Reboot.Contract;
using Orchestrator.Reboot.Snapshot;
using Orchestrator.Tooling;
using Orchestrator.Transport;

namespace Orchestrator.Reboot;

/// <summary>
/// The new image's half of a restart: answer the restart call the old image left pending, with the real duration,
/// and close its history row; or, when the snapshot could not be trusted, answer STATE_CORRUPTION and start clean.
/// </summary>
internal static class RestartCompletion
{
    public static void Complete(ServerRuntime runtime, RestartSnapshot? snapshot, string? corruption, string? requestIdJson)
    {
        var now = runtime.Clock.GetUtcNow();
        if (snapshot is not null)
        {
            var pending = snapshot.Pending;
            var elapsed = Stopwatch.GetElapsedTime(pending.StartedTimestamp);
            const string message = "Restart completed successfully";
            if (pending.ProgressTokenJson is { } tokenJson)
                runtime.Notifier.Progress(JsonSerializer.Deserialize(tokenJson, McpJson.ProgressToken), 100, message);
            Answer(runtime, pending.RequestIdJson, ToolInvoker.ToResult(new RestartServerResult
            {
                Success = true,
                Graceful = pending.Graceful,
                PreserveState = pending.PreserveState,
                Timeout = pending.Timeout,
                Phase = RestartPhase.Complete,
                Progress = 100,
                Message = message,
                RestartReason = pending.Reason,
                CompletedAt = now,
                Errors = [],
                Duration = Math.Round(elapsed.TotalSeconds, 6),
                Pid = Environment.ProcessId,
            }));
            runtime.History?.Finish(pending.HistoryId, true, "complete", elapsed.TotalMilliseconds, now.ToUnixTimeMilliseconds(),
                sessionRestored: snapshot.Session is not null);
            var startedAt = DateTimeOffset.FromUnixTimeMilliseconds(pending.StartedUnixMs);
            runtime.Reboot.SetInitialProgress(new RestartProgress(StatusPhase.Complete, 100, message, startedAt, now, []));
            runtime.Logger.LogInformation("Restart {Id} complete in {Milliseconds:F2} ms; session {Restored}",
                pending.HistoryId, elapsed.TotalMilliseconds, snapshot.Session is not null ? "restored" : "not preserved");
            return;
        }

        var error = $"Snapshot rejected, starting from durable state: {corruption}";
        runtime.Logger.LogError("STATE_CORRUPTION: {Error}", error);
        runtime.History?.FailUnfinished(ErrorCode.StateCorruption.ToWire(), error, now.ToUnixTimeMilliseconds());
        runtime.Reboot.SetInitialProgress(new RestartProgress(StatusPhase.Failed, 100, error, null, now, [error]));
        if (requestIdJson is not null)
            Answer(runtime, requestIdJson, ToolInvoker.ToResult(new ToolError(ErrorCode.StateCorruption, error, "failed") { Details = [error] }));
    }

    private static void Answer(ServerRuntime runtime, string requestIdJson, CallToolResult result)
    {
        RequestId id;
        try
        {
            id = JsonSerializer.Deserialize(requestIdJson, McpJson.RequestId);
        }
        catch (JsonException ex)
        {
            runtime.Logger.LogError("Cannot answer the restart call: bad request id {Id}: {Error}", requestIdJson, ex.Message);
            return;
        }
        JsonRpcMessage response = new JsonRpcResponse { Id = id, Result = JsonSerializer.SerializeToNode(result, McpJson.CallToolResult) };
        runtime.Transport.Output.WriteFrame(JsonSerializer.SerializeToUtf8Bytes(response, McpJson.Message));
    }
}
