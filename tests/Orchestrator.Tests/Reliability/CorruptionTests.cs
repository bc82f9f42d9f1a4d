using System.Text.Json.Nodes;
using Orchestrator.Tests.EndToEnd;

namespace Orchestrator.Tests.Reliability;

/// <summary>
/// A snapshot damaged on disk between the old image writing it and the new image reading it (the restart is paused
/// right after the write, the file changed, the restart resumed): the new image detects it, answers the restart call
/// STATE_CORRUPTION, records it in history, applies nothing of it, serves from durable state, and restarts cleanly
/// afterwards. What a client sees is checked through the tools, not the logs alone.
/// </summary>
public class CorruptionTests
{
    private const string AfterSnapshotWritten = "closing_connections";

    public static IEnumerable<string> Kinds() => SnapshotDamage.Kinds;

    [Test]
    [MethodDataSource(nameof(Kinds))]
    public async Task A_damaged_snapshot_is_refused_as_state_corruption_and_the_server_carries_on(string kind)
    {
        using var data = new TempDirectory();
        using var pause = new PausedRestart();
        await using var client = await McpStdioClient.StartInitializedAsync(data.Path, pause.Environment(AfterSnapshotWritten));
        var pid = client.Pid;
        var taskId = await TaskProbe.AssertWritableAsync(client);
        var sessionBefore = await SessionStatusAsync(client);

        var restart = client.SendToolCall("orchestrator_restart_server");
        await PausedRestart.WaitUntilPausedAsync(client, AfterSnapshotWritten);
        var expected = SnapshotDamage.Apply(kind, SnapshotPath(data.Path, pid));
        // Sent while the old image is frozen: it stays in the pipe and is the new image's to answer.
        var duringPause = client.SendToolCall("orchestrator_get_status", new JsonObject { ["task_id"] = taskId });
        await pause.ResumeAsync();

        var error = (await restart.Answer).Result().Error();
        await Assert.That(error["success"]!.GetValue<bool>()).IsFalse();
        await Assert.That(error["error_code"]!.GetValue<string>()).IsEqualTo("STATE_CORRUPTION");
        await Assert.That(error["phase"]!.GetValue<string>()).IsEqualTo("failed");
        await Assert.That(error["error"]!.GetValue<string>()).Contains(expected);
        await Assert.That(client.Pid).IsEqualTo(pid);
        await Assert.That(client.HasExited).IsFalse();

        // Durable state is all there; the new image answered what was sent during the restart.
        var status = (await duringPause.Answer).Result().Structured();
        await Assert.That(status["tasks"]![0]!["id"]!.GetValue<string>()).IsEqualTo(taskId);
        await TaskProbe.AssertWritableAsync(client);

        // Reported through the tools: restart status, history, health.
        var restartStatus = (await client.CallToolAsync("orchestrator_restart_status", new JsonObject { ["include_history"] = true })).Structured();
        await Assert.That(restartStatus["current_status"]!["phase"]!.GetValue<string>()).IsEqualTo("failed");
        await Assert.That(restartStatus["current_status"]!["errors"]![0]!.GetValue<string>()).Contains(expected);
        var record = restartStatus["history"]!["recent_restarts"]![0]!;
        await Assert.That(record["success"]!.GetValue<bool>()).IsFalse();
        await Assert.That(record["error_code"]!.GetValue<string>()).IsEqualTo("STATE_CORRUPTION");
        var health = (await client.CallToolAsync("orchestrator_health_check")).Structured();
        await Assert.That(health["healthy"]!.GetValue<bool>()).IsTrue();
        await Assert.That(health["checks"]!["database"]!["connected"]!.GetValue<bool>()).IsTrue();

        // Never trusted: nothing of the snapshot was applied (the session was not carried), and it is gone from disk.
        var sessionAfter = await SessionStatusAsync(client);
        await Assert.That(sessionAfter).Contains("0 restart(s) survived");
        await Assert.That(sessionAfter).DoesNotContain(SessionIdOf(sessionBefore));
        await Assert.That(Directory.GetFiles(Path.Combine(data.Path, "snapshots"))).IsEmpty();

        // The client can initialize the fresh session, and the next restart (paused and resumed undamaged) completes.
        await client.InitializeAsync();
        var next = client.SendToolCall("orchestrator_restart_server");
        await client.WaitForStderrAsync($"paused at {AfterSnapshotWritten} (pid {pid})");
        await pause.ResumeAsync();
        var completed = (await next.Answer).Result().Structured();
        await Assert.That(completed["phase"]!.GetValue<string>()).IsEqualTo("complete");
        var history = await TaskProbe.HistoryAsync(client);
        await Assert.That(history["total_restarts"]!.GetValue<int>()).IsEqualTo(2);
        var outcomes = history["recent_restarts"]!.AsArray().Select(r => r!["success"]!.GetValue<bool>()).ToArray();
        await Assert.That(outcomes).IsEquivalentTo(new[] { true, false }, TUnit.Assertions.Enums.CollectionOrdering.Matching);

        await Assert.That(await client.StopAsync()).IsEqualTo(0);
        await Assert.That(client.Stderr).Contains("STATE_CORRUPTION");
        await Assert.That(client.ForeignLines).IsEmpty();
    }

    [Test]
    public async Task A_snapshot_from_another_data_directory_is_refused_as_state_corruption()
    {
        using var ours = new TempDirectory();
        using var theirs = new TempDirectory();
        using var ourPause = new PausedRestart();
        await using var other = await McpStdioClient.StartInitializedAsync(theirs.Path, new Dictionary<string, string>
        {
            ["ORCHESTRATOR_TEST_HOOKS"] = PausedRestart.HooksFor(AfterSnapshotWritten),
        });
        await using var client = await McpStdioClient.StartInitializedAsync(ours.Path, ourPause.Environment(AfterSnapshotWritten));
        var pid = client.Pid;
        var taskId = await TaskProbe.AssertWritableAsync(client);

        // Two real servers, each paused with its snapshot written: ours is replaced by theirs, a valid snapshot of another store.
        var theirRestart = other.SendToolCall("orchestrator_restart_server");
        await PausedRestart.WaitUntilPausedAsync(other, AfterSnapshotWritten);
        var restart = client.SendToolCall("orchestrator_restart_server");
        await PausedRestart.WaitUntilPausedAsync(client, AfterSnapshotWritten);
        File.Copy(SnapshotPath(theirs.Path, other.Pid), SnapshotPath(ours.Path, pid), overwrite: true);
        await other.KillAsync();
        await ourPause.ResumeAsync();

        var error = (await restart.Answer).Result().Error();
        await Assert.That(error["error_code"]!.GetValue<string>()).IsEqualTo("STATE_CORRUPTION");
        await Assert.That(error["error"]!.GetValue<string>()).Contains("written for another data directory");
        await Assert.That(client.Pid).IsEqualTo(pid);
        var record = (await TaskProbe.HistoryAsync(client))["recent_restarts"]![0]!;
        await Assert.That(record["error_code"]!.GetValue<string>()).IsEqualTo("STATE_CORRUPTION");
        await TaskProbe.AssertTaskExistsAsync(client, taskId);
        // Nothing of theirs was applied: their pending restart call (an id their client chose, which ours also uses) was
        // not answered on our pipe, so every id here was answered exactly once.
        await Assert.That(client.AnswerCounts.Values.All(count => count == 1)).IsTrue();
        await Assert.That(client.AnswerCounts.ContainsKey(theirRestart.Id)).IsTrue();
    }

    private static string SnapshotPath(string dataDirectory, int pid) => Path.Combine(dataDirectory, "snapshots", $"restart-{pid}.snap");

    private static async Task<string> SessionStatusAsync(McpStdioClient client) =>
        (await client.CallToolAsync("orchestrator_reconnect_test")).Structured()["results"]!["all_sessions"]!["status"]!.GetValue<string>();

    /// <summary>"session ID (client) reachable, …": the id.</summary>
    private static string SessionIdOf(string status) => status.Split(' ')[1];
}
