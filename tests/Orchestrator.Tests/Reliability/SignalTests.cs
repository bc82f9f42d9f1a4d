using System.Text.Json.Nodes;
using Orchestrator.Tests.EndToEnd;
using Orchestrator.Tests.Http;

namespace Orchestrator.Tests.Reliability;

/// <summary>
/// SIGTERM and SIGINT end the server cleanly whenever they arrive: idle, with calls in flight, or at each point of a
/// restart (the pause-at-phase hook holds it there: every phase of the old image, and <c>resuming</c> in the new image
/// before it answers). Clean means: exit status 0, the restart call and the calls in flight answered (or, past the
/// shutdown bound, not waited for), the WAL folded into the database, no snapshot left, the database sound and what was
/// acknowledged still there. Over stdio and over HTTP.
/// </summary>
public class SignalTests
{
    public static IEnumerable<string> OldImagePhases() =>
        ["maintenance_mode", "suspending_tasks", "serializing_state", "closing_connections", "finalizing"];

    public static IEnumerable<(string Phase, string Signal)> PhasesAndSignals() =>
        OldImagePhases().Append("resuming").Select(phase => (phase, phase == "finalizing" ? "SIGINT" : "SIGTERM"));

    [Test]
    [Arguments("SIGTERM")]
    [Arguments("SIGINT")]
    public async Task Over_stdio_a_signal_ends_an_idle_server_like_the_end_of_input(string signal)
    {
        using var data = new TempDirectory();
        await using var client = await McpStdioClient.StartInitializedAsync(data.Path);
        var task = await TaskProbe.AssertWritableAsync(client);
        await Assert.That(StoreFiles.WalBytes(data.Path)).IsGreaterThan(0L);

        ProcessSignals.Send(client.Pid, ProcessSignals.Parse(signal));

        await StoreFiles.AssertEndedCleanlyAsync(await client.WaitForExitAsync(), data.Path, client.Stderr);
        await Assert.That(client.Stderr).Contains($"{signal} received");
        await AssertTaskSurvivesAsync(data.Path, task);
    }

    [Test]
    [MethodDataSource(nameof(PhasesAndSignals))]
    public async Task Over_stdio_a_signal_at_a_restart_phase_ends_the_server_cleanly(string phase, string signal)
    {
        using var data = new TempDirectory();
        using var pause = new PausedRestart();
        await using var client = await McpStdioClient.StartInitializedAsync(data.Path, pause.Environment(phase));
        var pid = client.Pid;
        var task = await TaskProbe.AssertWritableAsync(client);
        var restart = client.SendToolCall("orchestrator_restart_server");
        await PausedRestart.WaitUntilPausedAsync(client, phase);

        ProcessSignals.Send(pid, ProcessSignals.Parse(signal));
        await pause.ResumeAsync();

        var answer = (await restart.Answer).Result();
        if (phase == "resuming")
        {
            // Past the exec: the new image answers the restart, then takes the signal that waited for it.
            await Assert.That(answer.Structured()["phase"]!.GetValue<string>()).IsEqualTo("complete");
        }
        else
        {
            var error = answer.Error();
            await Assert.That(error["error_code"]!.GetValue<string>()).IsEqualTo("SHUTDOWN_IN_PROGRESS");
            await Assert.That(error["error"]!.GetValue<string>()).Contains(signal);
        }
        await StoreFiles.AssertEndedCleanlyAsync(await client.WaitForExitAsync(), data.Path, client.Stderr);
        await Assert.That(client.Pid).IsEqualTo(pid);
        await Assert.That(client.AnswerCounts[restart.Id]).IsEqualTo(1);
        await AssertTaskSurvivesAsync(data.Path, task);
        await AssertNoRestartLeftOpenAsync(data.Path, phase == "resuming" ? "complete" : "failed");
    }

    [Test]
    public async Task Over_stdio_a_call_in_flight_is_answered_before_the_server_exits()
    {
        using var data = new TempDirectory();
        var environment = new Dictionary<string, string> { ["ORCHESTRATOR_TEST_HOOKS"] = "slow-tool" };
        await using var client = await McpStdioClient.StartInitializedAsync(data.Path, environment);
        var slow = client.SendToolCall("orchestrator_test_sleep", new JsonObject { ["seconds"] = 1 });
        await WaitUntilInFlightAsync(client, 2); // the sleep and the health check asking

        ProcessSignals.Send(client.Pid, ProcessSignals.SIGTERM);

        // Its own result, not an error: it ran to its end (a timer may fire a hair before the second).
        await Assert.That((await slow.Answer).Result().Structured()["slept"]!.GetValue<double>()).IsGreaterThan(0.9);
        await StoreFiles.AssertEndedCleanlyAsync(await client.WaitForExitAsync(), data.Path, client.Stderr);
    }

    /// <summary>
    /// How long a test waits for a server with a 1 s shutdown bound to exit: the bound, the checkpoint and a generous
    /// margin for a loaded machine, yet well below what an unbounded wait takes (Kestrel's default is 30 s).
    /// </summary>
    private static readonly TimeSpan BoundedExit = TimeSpan.FromSeconds(20);

    /// <summary>The shutdown bound holds: a call that would take ten minutes is not waited for past <c>--shutdown-timeout</c>.</summary>
    [Test]
    public async Task Over_stdio_the_shutdown_bound_cuts_a_call_that_does_not_finish()
    {
        using var data = new TempDirectory();
        var environment = new Dictionary<string, string> { ["ORCHESTRATOR_TEST_HOOKS"] = "slow-tool", ["ORCHESTRATOR_SHUTDOWN_TIMEOUT"] = "1" };
        await using var client = await McpStdioClient.StartInitializedAsync(data.Path, environment);
        var slow = client.SendToolCall("orchestrator_test_sleep", new JsonObject { ["seconds"] = 600 });
        await WaitUntilInFlightAsync(client, 2);

        ProcessSignals.Send(client.Pid, ProcessSignals.SIGTERM);

        await StoreFiles.AssertEndedCleanlyAsync(await client.WaitForExitAsync(BoundedExit), data.Path, client.Stderr);
        await Assert.That(client.Stderr).Contains("still in flight");
        await Assert.That(slow.Answer.IsCompletedSuccessfully).IsFalse();
    }

    [Test]
    [Arguments("SIGTERM")]
    [Arguments("SIGINT")]
    public async Task Over_http_a_signal_ends_an_idle_server(string signal)
    {
        using var data = new TempDirectory();
        await using var server = await HttpServerProcess.StartAsync(data.Path);
        using (var client = new McpHttpClient(server.Url))
        {
            await client.InitializeAsync();
            await PlanTaskAsync(client);
        }

        ProcessSignals.Send(server.Pid, ProcessSignals.Parse(signal));

        await StoreFiles.AssertEndedCleanlyAsync(await server.WaitForExitAsync(), data.Path, server.Stderr);
    }

    [Test]
    [Arguments("maintenance_mode")]
    [Arguments("serializing_state")]
    [Arguments("finalizing")]
    [Arguments("resuming")]
    public async Task Over_http_a_signal_at_a_restart_phase_ends_the_server_cleanly(string phase)
    {
        using var data = new TempDirectory();
        using var pause = new PausedRestart();
        await using var server = await HttpServerProcess.StartBinaryAsync(PublishedBinary.Path, data.Path, pause.Environment(phase));
        using var client = new McpHttpClient(server.Url);
        await client.InitializeAsync();
        var task = await PlanTaskAsync(client);
        var restart = client.CallToolAsync("orchestrator_restart_server", new JsonObject { ["reason"] = "manual_request" });
        await PausedRestart.WaitUntilPausedAsync(server, phase);

        ProcessSignals.Send(server.Pid, ProcessSignals.SIGTERM);
        await pause.ResumeAsync();

        var answer = (await restart).Result();
        if (phase == "resuming")
            await Assert.That(answer.Structured()["phase"]!.GetValue<string>()).IsEqualTo("complete");
        else
            await Assert.That(answer.Error()["error_code"]!.GetValue<string>()).IsEqualTo("SHUTDOWN_IN_PROGRESS");
        await StoreFiles.AssertEndedCleanlyAsync(await server.WaitForExitAsync(), data.Path, server.Stderr);
        await AssertTaskSurvivesAsync(data.Path, task);
        await AssertNoRestartLeftOpenAsync(data.Path, phase == "resuming" ? "complete" : "failed");
    }

    [Test]
    public async Task Over_http_the_shutdown_bound_cuts_a_request_that_does_not_finish()
    {
        using var data = new TempDirectory();
        var environment = new Dictionary<string, string> { ["ORCHESTRATOR_TEST_HOOKS"] = "slow-tool", ["ORCHESTRATOR_SHUTDOWN_TIMEOUT"] = "1" };
        await using var server = await HttpServerProcess.StartBinaryAsync(PublishedBinary.Path, data.Path, environment);
        using var client = new McpHttpClient(server.Url);
        await client.InitializeAsync();
        using var observer = new McpHttpClient(server.Url);
        await observer.InitializeAsync();
        var slow = client.CallToolAsync("orchestrator_test_sleep", new JsonObject { ["seconds"] = 600 });
        // In flight once the server counts it (health counts itself too).
        while ((await observer.CallToolAsync("orchestrator_health_check")).Result().Structured()["checks"]!["reboot_readiness"]!["details"]!["in_flight_requests"]!
               .GetValue<int>() < 2)
            await Assert.That(slow.IsCompleted).IsFalse();

        ProcessSignals.Send(server.Pid, ProcessSignals.SIGTERM);

        await StoreFiles.AssertEndedCleanlyAsync(await server.WaitForExitAsync(BoundedExit), data.Path, server.Stderr);
        // Not waited for: its connection was aborted, unanswered.
        await Assert.That(slow.IsCompletedSuccessfully).IsFalse();
    }

    /// <summary>
    /// Beyond the phases the hook can hold: the signal is sent at seeded moments from 0 to 30 ms after the server logged
    /// the restart call (so the call was read: a signal before that stops the server reading, and the call is never
    /// answered, rightly), which covers the exec itself and the new image's start (over HTTP, its front and Kestrel
    /// starting). Whichever side of the exec it lands on, the restart call is answered once (SHUTDOWN_IN_PROGRESS, or
    /// complete and then the exit) and the server ends cleanly. The delay chooses where the fault lands; nothing waits on it.
    /// </summary>
    [Test]
    [Arguments("stdio")]
    [Arguments("http")]
    public async Task A_signal_at_seeded_moments_around_the_exec_ends_the_server_cleanly(string transport)
    {
        const int Rounds = 10;
        var random = new Random(11);
        for (var round = 0; round < Rounds; round++)
        {
            var delay = TimeSpan.FromMicroseconds(random.Next(0, 30_000));
            using var data = new TempDirectory();
            int exit;
            string stderr;
            JsonObject answer;
            if (transport == "stdio")
            {
                await using var client = await McpStdioClient.StartInitializedAsync(data.Path);
                var restart = client.SendToolCall("orchestrator_restart_server");
                await client.WaitForStderrAsync(RestartRequested);
                SignalAfter(client.Pid, delay);
                answer = (await restart.Answer).Result();
                exit = await client.WaitForExitAsync();
                stderr = client.Stderr;
            }
            else
            {
                await using var server = await HttpServerProcess.StartAsync(data.Path);
                using var client = new McpHttpClient(server.Url);
                await client.InitializeAsync();
                var restart = client.CallToolAsync("orchestrator_restart_server", new JsonObject { ["reason"] = "manual_request" });
                await server.WaitForStderrAsync(RestartRequested);
                SignalAfter(server.Pid, delay);
                answer = (await restart).Result();
                exit = await server.WaitForExitAsync();
                stderr = server.Stderr;
            }
            var outcome = answer["isError"]?.GetValue<bool>() == true ? answer.Error()["error_code"]!.GetValue<string>() : answer.Structured()["phase"]!.GetValue<string>();
            await Assert.That(outcome is "SHUTDOWN_IN_PROGRESS" or "complete").IsTrue().Because($"round {round}, {delay.TotalMilliseconds} ms: {answer.ToJsonString()}");
            await StoreFiles.AssertEndedCleanlyAsync(exit, data.Path, stderr);
        }
    }

    /// <summary>What the server logs once it has read a restart call (OutgoingImage).</summary>
    private const string RestartRequested = "Restart 1 requested";

    /// <summary>Sends SIGTERM once <paramref name="delay"/> has passed (spinning, for sub-millisecond placement).</summary>
    private static void SignalAfter(int pid, TimeSpan delay)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        while (System.Diagnostics.Stopwatch.GetElapsedTime(started) < delay) Thread.SpinWait(100);
        ProcessSignals.Send(pid, ProcessSignals.SIGTERM);
    }

    /// <summary>
    /// Under load: task writes pipelined with restarts among them, SIGTERM after a seeded number of answers. The server
    /// ends cleanly every time, and every write it answered is in the store.
    /// </summary>
    [Test]
    public async Task A_signal_under_pipelined_task_writes_ends_the_server_cleanly_and_keeps_every_answered_write()
    {
        const int Rounds = 6;
        const int Writes = 150;
        var random = new Random(23);
        for (var round = 0; round < Rounds; round++)
        {
            using var data = new TempDirectory();
            var answered = new List<string>();
            var signalAfter = random.Next(1, Writes);
            await using (var client = await McpStdioClient.StartInitializedAsync(data.Path))
            {
                var sessionId = await TaskProbe.SessionAsync(client);
                var writes = new List<Task<JsonObject>>();
                for (var i = 0; i < Writes; i++)
                {
                    writes.Add(client.SendToolCall("orchestrator_plan_task", TaskProbe.Plan(sessionId, $"round {round} write {i}")).Answer);
                    if (i % 40 == 39) client.SendToolCall("orchestrator_restart_server");
                }
                for (var i = 0; i < signalAfter; i++) answered.Add(TaskId(await writes[i]));
                ProcessSignals.Send(client.Pid, ProcessSignals.SIGTERM);
                await StoreFiles.AssertEndedCleanlyAsync(await client.WaitForExitAsync(), data.Path, client.Stderr);
                // Answers that came after the signal (calls in flight finish) are acknowledgements too.
                answered.AddRange(writes.Skip(signalAfter)
                    .Where(w => w.IsCompletedSuccessfully && w.Result["result"] is JsonObject result && result["isError"]?.GetValue<bool>() != true)
                    .Select(w => TaskId(w.Result)));
            }
            await using var check = await McpStdioClient.StartInitializedAsync(data.Path);
            foreach (var id in answered) await TaskProbe.AssertTaskExistsAsync(check, id);
        }

        static string TaskId(JsonObject answer) => answer.Result().Structured()["task"]!["id"]!.GetValue<string>();
    }

    /// <summary>The invariant the design rests on: no thread of the server could run a handler for these signals.</summary>
    [Test]
    [Arguments("stdio")]
    [Arguments("http")]
    public async Task Every_thread_blocks_the_termination_signals_at_a_cold_start_and_after_a_restart(string transport)
    {
        using var data = new TempDirectory();
        if (transport == "stdio")
        {
            await using var client = await McpStdioClient.StartInitializedAsync(data.Path);
            await AssertEveryThreadBlocksAsync(client.Pid);
            (await client.CallToolAsync("orchestrator_restart_server")).Structured();
            await AssertEveryThreadBlocksAsync(client.Pid);
            return;
        }
        await using var server = await HttpServerProcess.StartAsync(data.Path);
        using var http = new McpHttpClient(server.Url);
        await http.InitializeAsync();
        await AssertEveryThreadBlocksAsync(server.Pid);
        (await http.CallToolAsync("orchestrator_restart_server", new JsonObject { ["reason"] = "manual_request" })).Result().Structured();
        await server.WaitForServingAsync(2);
        await AssertEveryThreadBlocksAsync(server.Pid);
    }

    private static async Task AssertEveryThreadBlocksAsync(int pid)
    {
        const ulong TerminationSignals = (1UL << (ProcessSignals.SIGINT - 1)) | (1UL << (ProcessSignals.SIGTERM - 1));
        var unblocked = new List<string>();
        foreach (var task in Directory.GetDirectories($"/proc/{pid}/task"))
        {
            string status;
            try { status = File.ReadAllText(Path.Combine(task, "status")); } catch (IOException) { continue; } // the thread ended meanwhile
            var line = status.Split('\n').Single(l => l.StartsWith("SigBlk:", StringComparison.Ordinal));
            var blocked = Convert.ToUInt64(line["SigBlk:".Length..].Trim(), 16);
            if ((blocked & TerminationSignals) != TerminationSignals)
                unblocked.Add(status.Split('\n')[0] + " " + line);
        }
        await Assert.That(unblocked).IsEmpty();
    }

    /// <summary>Waits (by asking, no sleeping) until the server counts <paramref name="count"/> calls in flight, the asking one included.</summary>
    private static async Task WaitUntilInFlightAsync(McpStdioClient client, int count)
    {
        while ((await client.CallToolAsync("orchestrator_health_check")).Structured()["checks"]!["reboot_readiness"]!["details"]!["in_flight_requests"]!
               .GetValue<int>() < count)
        {
        }
    }

    private static async Task<string> PlanTaskAsync(McpHttpClient client)
    {
        var session = (await client.CallToolAsync("orchestrator_initialize_session", new JsonObject { ["working_directory"] = Path.GetTempPath() }))
            .Result().Structured()["session_id"]!.GetValue<string>();
        return (await client.CallToolAsync("orchestrator_plan_task", TaskProbe.Plan(session, "before the signal"))).Result().Structured()["task"]!["id"]!
            .GetValue<string>();
    }

    /// <summary>A new server on the same directory finds the task.</summary>
    private static async Task AssertTaskSurvivesAsync(string dataDirectory, string taskId)
    {
        await using var client = await McpStdioClient.StartInitializedAsync(dataDirectory);
        await TaskProbe.AssertTaskExistsAsync(client, taskId);
    }

    /// <summary>The interrupted restart is closed in the history (not left for a later cold start to find), with the outcome it had.</summary>
    private static async Task AssertNoRestartLeftOpenAsync(string dataDirectory, string phase)
    {
        Orchestrator.Tests.Unit.JitSqlite.Ensure();
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(dataDirectory, "orchestrator.db")};Mode=ReadOnly");
        connection.Open();
        var rows = StoreDump.Query(connection, "SELECT phase, completed_at_ms IS NULL FROM restart_history");
        await Assert.That(rows.Count).IsEqualTo(1);
        await Assert.That((string)rows[0][0]!).IsEqualTo(phase);
        await Assert.That((long)rows[0][1]!).IsEqualTo(0L);
    }
}
