using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Orchestrator.Tests.EndToEnd;
using Orchestrator.Tests.Unit;

namespace Orchestrator.Tests.Reliability;

/// <summary>
/// kill -9 in the middle of a restart, at each phase (the pause-at-phase hook holds the process at a known point, so
/// the kill lands there, no timing involved) and at seeded random points under task-write load: the next start on
/// the same data directory recovers from durable state, every task whose creation was answered exists, the database
/// passes <c>PRAGMA integrity_check</c>, and the interrupted restart is recorded as failed.
/// </summary>
public class FaultTests
{
    public static IEnumerable<string> Phases() =>
        ["maintenance_mode", "suspending_tasks", "serializing_state", "closing_connections", "finalizing", "resuming"];

    [Test]
    [MethodDataSource(nameof(Phases))]
    public async Task Kill_9_at_a_restart_phase_loses_no_committed_task_and_records_the_restart_as_failed(string phase)
    {
        using var data = new TempDirectory();
        var committed = new List<string>();
        await using (var client = await McpStdioClient.StartInitializedAsync(data.Path, new Dictionary<string, string>
                     {
                         ["ORCHESTRATOR_TEST_HOOKS"] = PausedRestart.HooksFor(phase),
                     }))
        {
            var sessionId = await TaskProbe.SessionAsync(client);
            for (var i = 0; i < 5; i++)
                committed.Add((await client.CallToolAsync("orchestrator_plan_task", TaskProbe.Plan(sessionId, $"before {i}"))).Structured()["task"]!["id"]!.GetValue<string>());
            // A subtask in progress, which the restart suspends durably.
            var subtask = (await client.CallToolAsync("orchestrator_get_status", new JsonObject { ["task_id"] = committed[0] })).Structured()["subtasks"]![0]!["id"]!.GetValue<string>();
            (await client.CallToolAsync("orchestrator_execute_subtask", new JsonObject { ["subtask_id"] = subtask })).Structured();

            var restart = client.SendToolCall("orchestrator_restart_server");
            await PausedRestart.WaitUntilPausedAsync(client, phase);
            // Writes sent while the restart is stuck are never answered: not committed as far as the client knows.
            var unanswered = Enumerable.Range(0, 3).Select(i => client.SendToolCall("orchestrator_plan_task", TaskProbe.Plan(sessionId, $"during {i}"))).ToList();
            await client.KillAsync();
            await Assert.That(restart.Answer.IsCompletedSuccessfully).IsFalse();
        }

        await AssertRecoveredAsync(data.Path, committed, expectInterrupted: 1);
    }

    [Test]
    public async Task Kill_9_at_random_points_under_task_write_load_loses_no_committed_task()
    {
        const int Rounds = 6;
        const int WritesPerRound = 120;
        var random = new Random(5);
        using var data = new TempDirectory();
        var committed = new List<string>();
        for (var round = 0; round < Rounds; round++)
        {
            var killAfter = random.Next(1, WritesPerRound);
            await using var client = await McpStdioClient.StartInitializedAsync(data.Path);
            var sessionId = await TaskProbe.SessionAsync(client);
            // Pipelined writes with a restart every 25 of them; the process is killed once killAfter writes were answered.
            var writes = new List<Task<JsonObject>>();
            for (var i = 0; i < WritesPerRound; i++)
            {
                writes.Add(client.SendToolCall("orchestrator_plan_task", TaskProbe.Plan(sessionId, $"round {round} write {i}")).Answer);
                if (i % 25 == 24) client.SendToolCall("orchestrator_restart_server");
            }
            var answered = 0;
            foreach (var write in writes)
            {
                committed.Add((await write).Result().Structured()["task"]!["id"]!.GetValue<string>());
                if (++answered == killAfter) break;
            }
            await client.KillAsync();
            // Answers that arrived before the kill are commitments too.
            committed.AddRange(writes.Skip(answered).Where(w => w.IsCompletedSuccessfully)
                .Select(w => w.Result.Result().Structured()["task"]!["id"]!.GetValue<string>()));
        }

        await AssertRecoveredAsync(data.Path, committed, expectInterrupted: null);
    }

    /// <summary>Starts a new server on the data directory and checks what survived the kill.</summary>
    private static async Task AssertRecoveredAsync(string dataDirectory, IReadOnlyCollection<string> committed, int? expectInterrupted)
    {
        await using var client = await McpStdioClient.StartInitializedAsync(dataDirectory);
        var health = (await client.CallToolAsync("orchestrator_health_check")).Structured();
        await Assert.That(health["healthy"]!.GetValue<bool>()).IsTrue();
        var missing = new List<string>();
        foreach (var id in committed)
        {
            var status = await client.CallToolAsync("orchestrator_get_status", new JsonObject { ["task_id"] = id });
            if (status["isError"]?.GetValue<bool>() == true) missing.Add(id);
        }
        await Assert.That(missing).IsEmpty();
        await Assert.That(committed.Count).IsGreaterThan(0);
        await Assert.That(StoreDump.IntegrityCheck(dataDirectory)).IsEqualTo("ok");

        // Every restart row is closed: the interrupted ones as failed, with the reason, by this cold start.
        var history = await TaskProbe.HistoryAsync(client);
        var failed = history["recent_restarts"]!.AsArray().Where(r => !r!["success"]!.GetValue<bool>()).ToList();
        await Assert.That(failed.All(r => r!["error_code"]?.GetValue<string>() == "PROCESS_FAILED")).IsTrue();
        if (expectInterrupted is { } count)
        {
            await Assert.That(failed.Count).IsEqualTo(count);
            await Assert.That(failed[0]!["error"]!.GetValue<string>()).Contains("interrupted");
        }
        await Assert.That(OpenRestartRows(dataDirectory)).IsEqualTo(0L);
        await Assert.That(Directory.Exists(Path.Combine(dataDirectory, "snapshots")) ? Directory.GetFiles(Path.Combine(dataDirectory, "snapshots")) : []).IsEmpty();
        // And the recovered server restarts in place.
        await Assert.That((await client.CallToolAsync("orchestrator_restart_server")).Structured()["phase"]!.GetValue<string>()).IsEqualTo("complete");
    }

    private static long OpenRestartRows(string dataDirectory)
    {
        JitSqlite.Ensure();
        using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "orchestrator.db")};Mode=ReadOnly");
        connection.Open();
        return (long)StoreDump.Query(connection, "SELECT count(*) FROM restart_history WHERE completed_at_ms IS NULL")[0][0]!;
    }
}
