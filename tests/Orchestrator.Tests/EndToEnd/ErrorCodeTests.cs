using System.Text.Json.Nodes;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>Each of the seed's seven error codes, produced by the real condition it names, in the seed's error format.</summary>
public class ErrorCodeTests
{
    private static readonly Dictionary<string, string> SlowTool = new() { ["ORCHESTRATOR_TEST_HOOKS"] = "slow-tool" };

    private static async Task AssertSeedErrorFormat(JsonObject error, string code)
    {
        await Assert.That(error["success"]!.GetValue<bool>()).IsFalse();
        await Assert.That(error["error_code"]!.GetValue<string>()).IsEqualTo(code);
        await Assert.That(error["error"]!.GetValue<string>()).IsNotEmpty();
        await Assert.That(error["phase"]!.GetValue<string>()).IsNotEmpty();
        await Assert.That(DateTimeOffset.TryParse(error["timestamp"]!.GetValue<string>(), out _)).IsTrue();
    }

    private static async Task<JsonObject> History(McpStdioClient client) =>
        (await client.CallToolAsync("orchestrator_restart_status", new JsonObject { ["include_history"] = true })).Structured()["history"]!.AsObject();

    [Test]
    public async Task Invalid_parameters_name_every_bad_field_and_change_nothing()
    {
        using var data = new TempDirectory();
        await using var client = await McpStdioClient.StartInitializedAsync(data.Path);
        var pid = client.Pid;

        var error = (await client.CallToolAsync("orchestrator_restart_server", new JsonObject
        {
            ["timeout"] = 5, ["reason"] = "because", ["graceful"] = "yes",
        })).Error();

        await AssertSeedErrorFormat(error, "INVALID_PARAMETERS");
        var details = error["errors"]!.AsArray().Select(e => e!.GetValue<string>()).ToArray();
        await Assert.That(details.Length).IsEqualTo(3);
        await Assert.That(details.Any(d => d.StartsWith("timeout"))).IsTrue();
        await Assert.That(details.Any(d => d.StartsWith("reason"))).IsTrue();
        await Assert.That(details.Any(d => d.StartsWith("graceful"))).IsTrue();

        var tooLong = (await client.CallToolAsync("orchestrator_restart_server", new JsonObject { ["timeout"] = 301 })).Error();
        await AssertSeedErrorFormat(tooLong, "INVALID_PARAMETERS");
        var wrongType = (await client.CallToolAsync("orchestrator_health_check", new JsonObject { ["include_database_status"] = 1 })).Error();
        await AssertSeedErrorFormat(wrongType, "INVALID_PARAMETERS");

        await Assert.That(client.Pid).IsEqualTo(pid);
        await Assert.That((await History(client))["total_restarts"]!.GetValue<int>()).IsEqualTo(0);
    }

    [Test]
    public async Task Shutdown_in_progress_refuses_a_second_restart_while_the_first_drains()
    {
        using var data = new TempDirectory();
        await using var client = await McpStdioClient.StartInitializedAsync(data.Path, SlowTool);
        var slow = client.SendToolCall("orchestrator_test_sleep", new JsonObject { ["seconds"] = 3 });
        var first = client.SendToolCall("orchestrator_restart_server");
        var second = client.SendToolCall("orchestrator_restart_server");

        // One restart wins the race and waits for the slow call; the other is refused at once.
        var answers = new[] { await first.Answer, await second.Answer }.Select(a => a.Result()).ToArray();
        var refused = answers.Single(a => a["isError"]?.GetValue<bool>() == true).Error();
        var completed = answers.Single(a => a["isError"]?.GetValue<bool>() != true).Structured();
        await AssertSeedErrorFormat(refused, "SHUTDOWN_IN_PROGRESS");
        await Assert.That(completed["phase"]!.GetValue<string>()).IsEqualTo("complete");

        // The slow call finished before the exec: graceful means in-flight work completes.
        var slept = (await slow.Answer).Result().Structured();
        await Assert.That(slept["slept"]!.GetValue<double>()).IsGreaterThanOrEqualTo(2.9);
        await Assert.That((await History(client))["total_restarts"]!.GetValue<int>()).IsEqualTo(1);
    }

    [Test]
    public async Task Timeout_exceeded_aborts_the_restart_and_the_server_goes_on_serving()
    {
        using var data = new TempDirectory();
        await using var client = await McpStdioClient.StartInitializedAsync(data.Path, SlowTool);
        var pid = client.Pid;
        var slow = client.SendToolCall("orchestrator_test_sleep", new JsonObject { ["seconds"] = 14 });
        var restart = client.SendToolCall("orchestrator_restart_server", new JsonObject { ["timeout"] = 10 });
        // Sent during maintenance mode: held, then served by this image once the restart is abandoned.
        var held = client.Send("tools/list");

        var error = (await restart.Answer).Result().Error();
        await AssertSeedErrorFormat(error, "TIMEOUT_EXCEEDED");
        await Assert.That(error["phase"]!.GetValue<string>()).IsEqualTo("failed");
        await Assert.That((await held.Answer).Result()["tools"]!.AsArray().Count).IsGreaterThan(0);

        var status = (await client.CallToolAsync("orchestrator_restart_status", new JsonObject { ["include_history"] = true })).Structured();
        await Assert.That(status["current_status"]!["maintenance_mode"]!.GetValue<bool>()).IsFalse();
        await Assert.That(status["current_status"]!["phase"]!.GetValue<string>()).IsEqualTo("failed");
        var record = status["history"]!["recent_restarts"]![0]!;
        await Assert.That(record["success"]!.GetValue<bool>()).IsFalse();
        await Assert.That(record["error_code"]!.GetValue<string>()).IsEqualTo("TIMEOUT_EXCEEDED");
        await Assert.That((await slow.Answer).Result().Structured()["slept"]!.GetValue<double>()).IsGreaterThanOrEqualTo(13.9);
        await Assert.That(client.Pid).IsEqualTo(pid);
    }

    [Test]
    public async Task Non_graceful_restart_answers_in_flight_calls_itself_exactly_once()
    {
        using var data = new TempDirectory();
        await using var client = await McpStdioClient.StartInitializedAsync(data.Path, SlowTool);
        var slow = client.SendToolCall("orchestrator_test_sleep", new JsonObject { ["seconds"] = 30 });
        // Make sure the slow call is in flight before the restart starts.
        var inFlight = (await client.CallToolAsync("orchestrator_health_check")).Structured();
        await Assert.That(inFlight["checks"]!["reboot_readiness"]!["details"]!["in_flight_requests"]!.GetValue<int>()).IsEqualTo(2);

        var restart = (await client.CallToolAsync("orchestrator_restart_server", new JsonObject { ["graceful"] = false })).Structured();
        await Assert.That(restart["phase"]!.GetValue<string>()).IsEqualTo("complete");
        await Assert.That(restart["graceful"]!.GetValue<bool>()).IsFalse();
        var interrupted = await slow.Answer;
        await Assert.That(interrupted["error"]!["code"]!.GetValue<int>()).IsEqualTo(-32001);
        // It was running: the answer says it may have taken effect, and that it is not safe to retry blindly.
        await Assert.That(interrupted["error"]!["data"]!["started"]!.GetValue<bool>()).IsTrue();
        await Assert.That(interrupted["error"]!["data"]!["safe_to_retry"]!.GetValue<bool>()).IsFalse();
        await client.CallToolAsync("orchestrator_health_check");
        await Assert.That(client.AnswerCounts[slow.Id]).IsEqualTo(1);
    }

    [Test]
    public async Task Process_failed_when_the_binary_is_gone_and_the_old_image_keeps_serving()
    {
        using var data = new TempDirectory();
        using var bin = new TempDirectory();
        var copy = Path.Combine(bin.Path, "orchestrator");
        ExecutableCopy.Make(PublishedBinary.Path, copy);
        await using var client = await McpStdioClient.StartInitializedAsync(data.Path, binary: copy);
        File.Delete(copy);

        var error = (await client.CallToolAsync("orchestrator_restart_server")).Error();
        await AssertSeedErrorFormat(error, "PROCESS_FAILED");
        await Assert.That(error["phase"]!.GetValue<string>()).IsEqualTo("preparation_failed");
        var health = (await client.CallToolAsync("orchestrator_health_check")).Structured();
        await Assert.That(health["checks"]!["reboot_readiness"]!["ready"]!.GetValue<bool>()).IsFalse();
        await Assert.That(health["checks"]!["reboot_readiness"]!["issues"]![0]!.GetValue<string>()).Contains("no longer exists");
    }

    [Test]
    public async Task Process_failed_when_exec_fails_after_quiescing_releases_held_requests()
    {
        using var data = new TempDirectory();
        await using var client = await McpStdioClient.StartInitializedAsync(data.Path, new Dictionary<string, string>
        {
            ["ORCHESTRATOR_TEST_HOOKS"] = "fail-exec",
        });
        var pid = client.Pid;
        var restart = client.SendToolCall("orchestrator_restart_server");
        var held = client.Send("tools/list");

        var error = (await restart.Answer).Result().Error();
        await AssertSeedErrorFormat(error, "PROCESS_FAILED");
        await Assert.That(error["phase"]!.GetValue<string>()).IsEqualTo("failed");
        await Assert.That((await held.Answer).ContainsKey("result")).IsTrue();
        // The store was closed for the exec and reopened after the failure.
        var health = (await client.CallToolAsync("orchestrator_health_check")).Structured();
        await Assert.That(health["checks"]!["database"]!["connected"]!.GetValue<bool>()).IsTrue();
        await Assert.That((await History(client))["recent_restarts"]![0]!["error_code"]!.GetValue<string>()).IsEqualTo("PROCESS_FAILED");
        await Assert.That(client.Pid).IsEqualTo(pid);
    }

    [Test]
    public async Task System_not_ready_when_the_snapshot_directory_cannot_be_written()
    {
        using var data = new TempDirectory();
        await File.WriteAllTextAsync(Path.Combine(data.Path, "snapshots"), "a file where the snapshot directory belongs");
        await using var client = await McpStdioClient.StartInitializedAsync(data.Path);

        var error = (await client.CallToolAsync("orchestrator_restart_server")).Error();
        await AssertSeedErrorFormat(error, "SYSTEM_NOT_READY");
        var prepare = (await client.CallToolAsync("orchestrator_shutdown_prepare")).Structured();
        await Assert.That(prepare["ready_for_shutdown"]!.GetValue<bool>()).IsFalse();
        await Assert.That(prepare["blocking_issues"]![0]!.GetValue<string>()).Contains("snapshot directory");
        await Assert.That((await History(client))["total_restarts"]!.GetValue<int>()).IsEqualTo(0);
    }

    [Test]
    public async Task Initialization_failed_when_the_store_cannot_be_opened()
    {
        using var parent = new TempDirectory();
        var blocker = Path.Combine(parent.Path, "not-a-directory");
        await File.WriteAllTextAsync(blocker, "");
        await using var client = await McpStdioClient.StartInitializedAsync(Path.Combine(blocker, "data"));

        var error = (await client.CallToolAsync("orchestrator_restart_server")).Error();
        await AssertSeedErrorFormat(error, "INITIALIZATION_FAILED");
        var health = (await client.CallToolAsync("orchestrator_health_check")).Structured();
        await Assert.That(health["healthy"]!.GetValue<bool>()).IsFalse();
        await Assert.That(health["checks"]!["database"]!["connected"]!.GetValue<bool>()).IsFalse();
    }

    [Test]
    [Arguments("corrupt-snapshot")]
    [Arguments("truncate-snapshot")]
    public async Task State_corruption_is_detected_and_the_server_starts_from_durable_state(string damage)
    {
        using var data = new TempDirectory();
        await using var client = await McpStdioClient.StartInitializedAsync(data.Path, new Dictionary<string, string>
        {
            ["ORCHESTRATOR_TEST_HOOKS"] = damage,
        });
        var pid = client.Pid;

        var error = (await client.CallToolAsync("orchestrator_restart_server")).Error();
        await AssertSeedErrorFormat(error, "STATE_CORRUPTION");
        await Assert.That(client.Pid).IsEqualTo(pid);

        var health = (await client.CallToolAsync("orchestrator_health_check")).Structured();
        await Assert.That(health["healthy"]!.GetValue<bool>()).IsTrue();
        var record = (await History(client))["recent_restarts"]![0]!;
        await Assert.That(record["success"]!.GetValue<bool>()).IsFalse();
        await Assert.That(record["error_code"]!.GetValue<string>()).IsEqualTo("STATE_CORRUPTION");
        await Assert.That(Directory.GetFiles(Path.Combine(data.Path, "snapshots"))).IsEmpty();
        // Logged (asynchronously; flushed by the time the process has exited).
        await Assert.That(await client.StopAsync()).IsEqualTo(0);
        await Assert.That(client.Stderr).Contains("STATE_CORRUPTION");
    }

    [Test]
    public async Task Rate_limits_follow_the_seed_and_survive_a_restart()
    {
        using var data = new TempDirectory();
        await using var client = await McpStdioClient.StartInitializedAsync(data.Path, new Dictionary<string, string>
        {
            ["ORCHESTRATOR_RATE_LIMITS"] = "on",
        });

        await client.CallToolAsync("orchestrator_restart_server");
        // The new image inherited the window: a second restart within the minute is refused.
        var limited = (await client.CallToolAsync("orchestrator_restart_server")).Error();
        await Assert.That(limited["success"]!.GetValue<bool>()).IsFalse();
        await Assert.That(limited["error"]!.GetValue<string>()).IsEqualTo("Rate limit exceeded");
        await Assert.That(limited["phase"]!.GetValue<string>()).IsEqualTo("rate_limited");
        await Assert.That(limited["retry_after"]!.GetValue<int>()).IsBetween(1, 60);

        for (var i = 0; i < 5; i++) (await client.CallToolAsync("orchestrator_reconnect_test")).Structured();
        await Assert.That((await client.CallToolAsync("orchestrator_reconnect_test")).Error()["phase"]!.GetValue<string>()).IsEqualTo("rate_limited");
        for (var i = 0; i < 10; i++) (await client.CallToolAsync("orchestrator_restart_status")).Structured();
        await Assert.That((await client.CallToolAsync("orchestrator_restart_status")).Error()["phase"]!.GetValue<string>()).IsEqualTo("rate_limited");
        // Health checks are never limited.
        for (var i = 0; i < 30; i++) (await client.CallToolAsync("orchestrator_health_check")).Structured();
    }
}
