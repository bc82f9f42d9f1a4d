using System.Text.Json.Nodes;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>In-place restarts of the published binary, driven over its real stdin/stdout pipes.</summary>
public class RestartTests
{
    [Test]
    public async Task Restart_keeps_the_pid_and_the_session_and_is_answered_complete_by_the_new_image()
    {
        using var data = new TempDirectory();
        await using var client = await McpStdioClient.StartInitializedAsync(data.Path);
        var pid = client.Pid;

        var restart = (await client.CallToolAsync("orchestrator_restart_server", meta: new JsonObject { ["progressToken"] = "restart-1" })).Structured();

        await Assert.That(restart["success"]!.GetValue<bool>()).IsTrue();
        await Assert.That(restart["phase"]!.GetValue<string>()).IsEqualTo("complete");
        await Assert.That(restart["progress"]!.GetValue<double>()).IsEqualTo(100);
        await Assert.That(restart["graceful"]!.GetValue<bool>()).IsTrue();
        await Assert.That(restart["preserve_state"]!.GetValue<bool>()).IsTrue();
        await Assert.That(restart["timeout"]!.GetValue<int>()).IsEqualTo(30);
        await Assert.That(restart["restart_reason"]!.GetValue<string>()).IsEqualTo("manual_request");
        await Assert.That(DateTimeOffset.Parse(restart["completed_at"]!.GetValue<string>())).IsGreaterThan(DateTimeOffset.UtcNow.AddMinutes(-1));
        await Assert.That(restart["duration"]!.GetValue<double>()).IsGreaterThan(0);
        await Assert.That(restart["pid"]!.GetValue<int>()).IsEqualTo(pid);
        await Assert.That(client.HasExited).IsFalse();

        // No re-initialize: the next calls simply work, and the session (client info included) was carried over,
        // also for what the SDK's server object serves (built in the new image from the migrated session).
        var setLevel = await client.SendAsync("logging/setLevel", new JsonObject { ["level"] = "info" });
        await Assert.That(setLevel.ContainsKey("result")).IsTrue().Because(setLevel.ToJsonString());
        var reconnect = (await client.CallToolAsync("orchestrator_reconnect_test")).Structured();
        var sessions = reconnect["results"]!["all_sessions"]!["status"]!.GetValue<string>();
        await Assert.That(sessions).Contains("e2e-test-client").And.Contains("1 restart(s) survived");
        await Assert.That(reconnect["results"]!["reconnection_stats"]!["successful_reconnections"]!.GetValue<int>()).IsEqualTo(1);

        var status = (await client.CallToolAsync("orchestrator_restart_status", new JsonObject { ["include_history"] = true })).Structured();
        await Assert.That(status["current_status"]!["phase"]!.GetValue<string>()).IsEqualTo("complete");
        await Assert.That(status["current_status"]!["maintenance_mode"]!.GetValue<bool>()).IsFalse();
        await Assert.That(status["history"]!["total_restarts"]!.GetValue<int>()).IsEqualTo(1);
        var record = status["history"]!["recent_restarts"]![0]!;
        await Assert.That(record["success"]!.GetValue<bool>()).IsTrue();
        await Assert.That(record["duration"]!.GetValue<double>()).IsGreaterThan(0);

        // Progress notifications covered the phases in order, up to the exec; the answer itself says it completed.
        var progress = client.Notifications.Where(n => n["method"]!.GetValue<string>() == "notifications/progress")
            .Select(n => n["params"]!["progress"]!.GetValue<double>()).ToArray();
        await Assert.That(progress).IsEquivalentTo(new double[] { 10, 25, 50, 75, 90 }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(client.Pid).IsEqualTo(pid);
    }

    [Test]
    public async Task Fifty_restarts_in_a_row_answer_every_request_sent_during_them_exactly_once()
    {
        const int restarts = 50;
        using var data = new TempDirectory();
        await using var client = await McpStdioClient.StartInitializedAsync(data.Path);
        var pid = client.Pid;
        var ids = new List<string>();

        for (var i = 0; i < restarts; i++)
        {
            var token = $"restart-{i}";
            var restart = client.SendToolCall("orchestrator_restart_server", meta: new JsonObject { ["progressToken"] = token });
            // Sent once the restart has entered maintenance mode: a control-plane call, a held call, and a ping.
            await client.WaitForNotificationAsync(n => n["params"]?["progressToken"]?.GetValue<string>() == token &&
                                                       n["params"]!["progress"]!.GetValue<double>() >= 10);
            var during = new[]
            {
                client.SendToolCall("orchestrator_health_check"),
                client.Send("tools/list"),
                client.Send("ping"),
            };
            var answer = (await restart.Answer).Result().Structured();
            await Assert.That(answer["phase"]!.GetValue<string>()).IsEqualTo("complete");
            foreach (var (id, task) in during)
            {
                var reply = await task;
                await Assert.That(reply.ContainsKey("result")).IsTrue().Because(reply.ToJsonString());
                ids.Add(id);
            }
            ids.Add(restart.Id);
        }

        await Assert.That(client.Pid).IsEqualTo(pid);
        foreach (var id in ids) await Assert.That(client.AnswerCounts[id]).IsEqualTo(1);
        var history = (await client.CallToolAsync("orchestrator_restart_status", new JsonObject { ["include_history"] = true })).Structured()["history"]!;
        await Assert.That(history["total_restarts"]!.GetValue<int>()).IsEqualTo(restarts);
        await Assert.That(history["recent_restarts"]!.AsArray().All(r => r!["success"]!.GetValue<bool>())).IsTrue();
        await Assert.That(client.ForeignLines).IsEmpty();
    }

    [Test]
    public async Task Requests_held_by_maintenance_mode_are_answered_once_by_the_new_image()
    {
        using var data = new TempDirectory();
        await using var client = await McpStdioClient.StartInitializedAsync(data.Path, new Dictionary<string, string>
        {
            ["ORCHESTRATOR_TEST_HOOKS"] = "slow-tool",
        });
        var pid = client.Pid;
        var slow = client.SendToolCall("orchestrator_test_sleep", new JsonObject { ["seconds"] = 2 });
        var restart = client.SendToolCall("orchestrator_restart_server", meta: new JsonObject { ["progressToken"] = "held" });
        // The restart reports that it is waiting for the slow call: from here on the gate holds ordinary requests.
        await client.WaitForNotificationAsync(n => n["params"]?["progressToken"]?.GetValue<string>() == "held" &&
                                                   n["params"]!["progress"]!.GetValue<double>() >= 25);
        var held = new[] { client.Send("tools/list"), client.SendToolCall("orchestrator_initialize_session", new JsonObject { ["working_directory"] = data.Path }) };
        var status = (await client.CallToolAsync("orchestrator_restart_status")).Structured()["current_status"]!;
        await Assert.That(status["maintenance_mode"]!.GetValue<bool>()).IsTrue();

        await Assert.That((await restart.Answer).Result().Structured()["phase"]!.GetValue<string>()).IsEqualTo("complete");
        await Assert.That((await slow.Answer).ContainsKey("result")).IsTrue();
        foreach (var (id, answer) in held)
        {
            await Assert.That((await answer).ContainsKey("result")).IsTrue();
            await Assert.That(client.AnswerCounts[id]).IsEqualTo(1);
            // Answered after the restart call, i.e. by the new image from the snapshot's replay bytes.
            await Assert.That(client.ArrivalOrder[id]).IsGreaterThan(client.ArrivalOrder[restart.Id]);
        }
        await Assert.That(client.Pid).IsEqualTo(pid);
    }

    [Test]
    public async Task Restart_without_preserved_state_starts_a_new_session_but_keeps_durable_history()
    {
        using var data = new TempDirectory();
        await using var client = await McpStdioClient.StartInitializedAsync(data.Path);
        var before = (await client.CallToolAsync("orchestrator_reconnect_test")).Structured()["results"]!["all_sessions"]!["status"]!.GetValue<string>();

        var restart = (await client.CallToolAsync("orchestrator_restart_server", new JsonObject
        {
            ["preserve_state"] = false, ["graceful"] = false, ["reason"] = "emergency_shutdown", ["timeout"] = 15,
        })).Structured();

        await Assert.That(restart["phase"]!.GetValue<string>()).IsEqualTo("complete");
        await Assert.That(restart["preserve_state"]!.GetValue<bool>()).IsFalse();
        await Assert.That(restart["restart_reason"]!.GetValue<string>()).IsEqualTo("emergency_shutdown");
        var after = (await client.CallToolAsync("orchestrator_reconnect_test")).Structured()["results"]!["all_sessions"]!["status"]!.GetValue<string>();
        await Assert.That(after).IsNotEqualTo(before).And.Contains("0 restart(s) survived");
        var history = (await client.CallToolAsync("orchestrator_restart_status", new JsonObject { ["include_history"] = true })).Structured()["history"]!;
        await Assert.That(history["total_restarts"]!.GetValue<int>()).IsEqualTo(1);
    }

    [Test]
    public async Task A_cold_start_removes_snapshots_of_dead_processes_and_keeps_those_of_live_ones()
    {
        using var data = new TempDirectory();
        var snapshots = Directory.CreateDirectory(Path.Combine(data.Path, "snapshots")).FullName;
        var dead = Path.Combine(snapshots, "restart-4194303.snap");      // above any pid this machine hands out
        var halfWritten = Path.Combine(snapshots, "restart-4194303.snap.tmp");
        var live = Path.Combine(snapshots, $"restart-{Environment.ProcessId}.snap"); // this test process is alive
        foreach (var file in new[] { dead, halfWritten, live }) await File.WriteAllTextAsync(file, "stale");

        await using var client = await McpStdioClient.StartInitializedAsync(data.Path);
        await client.CallToolAsync("orchestrator_health_check");

        await Assert.That(File.Exists(dead)).IsFalse();
        await Assert.That(File.Exists(halfWritten)).IsFalse();
        await Assert.That(File.Exists(live)).IsTrue();
    }

    [Test]
    public async Task History_persists_across_a_cold_start_of_the_same_data_directory()
    {
        using var data = new TempDirectory();
        await using (var first = await McpStdioClient.StartInitializedAsync(data.Path))
        {
            await first.CallToolAsync("orchestrator_restart_server");
            await first.CallToolAsync("orchestrator_restart_server", new JsonObject { ["reason"] = "configuration_update" });
            await Assert.That(await first.StopAsync()).IsEqualTo(0);
        }
        await using var second = await McpStdioClient.StartInitializedAsync(data.Path);
        var history = (await second.CallToolAsync("orchestrator_restart_status", new JsonObject { ["include_history"] = true })).Structured()["history"]!;
        await Assert.That(history["total_restarts"]!.GetValue<int>()).IsEqualTo(2);
        await Assert.That(history["recent_restarts"]![0]!["reason"]!.GetValue<string>()).IsEqualTo("configuration_update");
        await Assert.That(history["last_successful_restart"]).IsNotNull();
    }
}
