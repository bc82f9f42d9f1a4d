using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Orchestrator.Tests.EndToEnd;
using Orchestrator.Tests.Unit;

namespace Orchestrator.Tests.Reliability;

/// <summary>
/// The store under faults of its environment, on the published binary: read-only (from the start, or from right after
/// a restart's answer), deleted or replaced under the running server, a full disk, a write lock held by another
/// process, two servers creating a store at the same moment. The server never aborts: it serves what it can, reports the
/// store's state in the health check, and answers what it cannot do with the seed's error codes, changing nothing.
/// </summary>
public class StoreFaultTests
{
    private static async Task<JsonObject> DatabaseHealthAsync(McpStdioClient client)
    {
        var health = (await client.CallToolAsync("orchestrator_health_check")).Structured();
        await Assert.That(health["healthy"]!.GetValue<bool>()).IsFalse();
        return health["checks"]!["database"]!.AsObject();
    }

    private static async Task<string> WriteErrorCodeAsync(McpStdioClient client, string sessionId) =>
        (await client.CallToolAsync("orchestrator_plan_task", TaskProbe.Plan(sessionId, "refused"))).Error()["error_code"]!.GetValue<string>();

    private static async Task<(string SessionId, string TaskId)> SeedAsync(string dataDirectory)
    {
        await using var client = await McpStdioClient.StartInitializedAsync(dataDirectory);
        var sessionId = await TaskProbe.SessionAsync(client);
        var taskId = (await client.CallToolAsync("orchestrator_plan_task", TaskProbe.Plan(sessionId, "written before"))).Structured()["task"]!["id"]!.GetValue<string>();
        await Assert.That(await client.StopAsync()).IsEqualTo(0);
        return (sessionId, taskId);
    }

    [Test]
    public async Task A_cold_start_on_a_read_only_store_serves_reads_and_answers_writes_with_INITIALIZATION_FAILED()
    {
        using var data = new TempDirectory();
        var (sessionId, taskId) = await SeedAsync(data.Path);
        // A restart that died midway leaves its history row open: a cold start closes such rows, which it cannot here.
        await using (var dying = await McpStdioClient.StartInitializedAsync(data.Path, new Dictionary<string, string>
                     {
                         ["ORCHESTRATOR_TEST_HOOKS"] = PausedRestart.HooksFor("maintenance_mode"),
                     }))
        {
            dying.SendToolCall("orchestrator_restart_server");
            await PausedRestart.WaitUntilPausedAsync(dying, "maintenance_mode");
            await dying.KillAsync();
        }
        var before = StoreDump.Of(data.Path);

        await using var client = PrivateMounts.StartOnBindMount(data.Path, readOnly: true);
        await client.InitializeAsync();

        var database = await DatabaseHealthAsync(client);
        await Assert.That(database["writable"]!.GetValue<bool>()).IsFalse();
        await Assert.That(database["status"]!.GetValue<string>()).Contains("read-only");
        await TaskProbe.AssertTaskExistsAsync(client, taskId);
        await Assert.That(await WriteErrorCodeAsync(client, sessionId)).IsEqualTo("INITIALIZATION_FAILED");
        var restart = (await client.CallToolAsync("orchestrator_restart_server")).Error();
        await Assert.That(restart["error_code"]!.GetValue<string>()).IsEqualTo("INITIALIZATION_FAILED");
        await Assert.That(restart["error"]!.GetValue<string>()).Contains("read-only");
        await Assert.That(await client.StopAsync()).IsEqualTo(0);
        await Assert.That(client.Stderr).DoesNotContain("Unhandled exception");
        await Assert.That(StoreDump.Of(data.Path)).IsEqualTo(before);
    }

    [Test]
    public async Task A_store_that_becomes_read_only_right_after_a_restart_answer_is_reported_and_never_aborts_the_new_image()
    {
        using var data = new TempDirectory();
        using var pause = new PausedRestart();
        await using var client = PrivateMounts.StartOnBindMount(data.Path, readOnly: false, pause.Environment("resuming"));
        await client.InitializeAsync();
        var pid = client.Pid;
        var sessionId = await TaskProbe.SessionAsync(client);
        var restart = client.SendToolCall("orchestrator_restart_server");
        await PausedRestart.WaitUntilPausedAsync(client, "resuming");

        await PrivateMounts.RemountReadOnlyAsync(pid, data.Path);
        await pause.ResumeAsync();

        await Assert.That((await restart.Answer).Result().Structured()["phase"]!.GetValue<string>()).IsEqualTo("complete");
        var database = await DatabaseHealthAsync(client);
        await Assert.That(database["writable"]!.GetValue<bool>()).IsFalse();
        await Assert.That(await WriteErrorCodeAsync(client, sessionId)).IsEqualTo("INITIALIZATION_FAILED");
        await Assert.That(client.Pid).IsEqualTo(pid);
        await Assert.That(await client.StopAsync()).IsEqualTo(0);
        await Assert.That(client.Stderr).DoesNotContain("Unhandled exception");
    }

    [Test]
    [Arguments("deleted")]
    [Arguments("replaced")]
    public async Task A_store_deleted_or_replaced_under_the_server_is_reported_and_refuses_writes_and_restarts(string how)
    {
        using var data = new TempDirectory();
        await using var client = await McpStdioClient.StartInitializedAsync(data.Path);
        var pid = client.Pid;
        var sessionId = await TaskProbe.SessionAsync(client);
        var taskId = (await client.CallToolAsync("orchestrator_plan_task", TaskProbe.Plan(sessionId, "acknowledged"))).Structured()["task"]!["id"]!.GetValue<string>();
        var database = Path.Combine(data.Path, "orchestrator.db");
        if (how == "deleted")
        {
            File.Delete(database);
        }
        else
        {
            // A copy put in its place (a restore from backup, say): another file, even with the same content.
            File.Copy(database, database + ".copy");
            File.Move(database + ".copy", database, overwrite: true);
        }

        var health = await DatabaseHealthAsync(client);
        await Assert.That(health["writable"]!.GetValue<bool>()).IsFalse();
        await Assert.That(health["status"]!.GetValue<string>()).Contains(how);
        await Assert.That(await WriteErrorCodeAsync(client, sessionId)).IsEqualTo("STATE_CORRUPTION");
        var restart = (await client.CallToolAsync("orchestrator_restart_server")).Error();
        await Assert.That(restart["error_code"]!.GetValue<string>()).IsEqualTo("STATE_CORRUPTION");
        await Assert.That(restart["phase"]!.GetValue<string>()).IsEqualTo("preparation_failed");
        // Never started empty: the same image serves on, and what it acknowledged is still readable from the file it holds.
        await Assert.That(client.Pid).IsEqualTo(pid);
        await TaskProbe.AssertTaskExistsAsync(client, taskId);
        await Assert.That(await client.StopAsync()).IsEqualTo(0);
        await Assert.That(client.Stderr).DoesNotContain("Unhandled exception");
    }

    [Test]
    public async Task A_full_disk_fails_a_restart_with_a_seed_code_and_leaves_no_temporary_snapshot()
    {
        using var data = new TempDirectory();
        using var pause = new PausedRestart();
        await using var client = PrivateMounts.StartOnTmpfs(data.Path, 4096, pause.Environment("serializing_state"));
        await client.InitializeAsync();
        var pid = client.Pid;
        var sessionId = await TaskProbe.SessionAsync(client);
        var taskId = (await client.CallToolAsync("orchestrator_plan_task", TaskProbe.Plan(sessionId, "before the disk filled"))).Structured()["task"]!["id"]!
            .GetValue<string>();
        var restart = client.SendToolCall("orchestrator_restart_server");
        await PausedRestart.WaitUntilPausedAsync(client, "serializing_state");

        // The disk fills up after every check passed, right before the snapshot is written.
        PrivateMounts.Fill(pid, data.Path);
        await pause.ResumeAsync();

        var error = (await restart.Answer).Result().Error();
        await Assert.That(error["error_code"]!.GetValue<string>()).IsEqualTo("SYSTEM_NOT_READY");
        await Assert.That(error["error"]!.GetValue<string>()).Contains("snapshot");
        var snapshots = PrivateMounts.Inside(pid, Path.Combine(data.Path, "snapshots"));
        await Assert.That(Directory.GetFiles(snapshots)).IsEmpty();
        // The old image serves on and says why: health reports the full disk, a restart now is refused up front.
        var database = await DatabaseHealthAsync(client);
        await Assert.That(database["writable"]!.GetValue<bool>()).IsFalse();
        await Assert.That(database["status"]!.GetValue<string>()).Contains("full");
        var refused = (await client.CallToolAsync("orchestrator_restart_server")).Error();
        await Assert.That(refused["error_code"]!.GetValue<string>()).IsEqualTo("SYSTEM_NOT_READY");
        await Assert.That(refused["phase"]!.GetValue<string>()).IsEqualTo("preparation_failed");
        await TaskProbe.AssertTaskExistsAsync(client, taskId);
        await Assert.That(Directory.GetFiles(snapshots)).IsEmpty();

        // Room again: the store takes writes and the restart goes through.
        File.Delete(PrivateMounts.Inside(pid, Path.Combine(data.Path, "filler")));
        await TaskProbe.AssertWritableAsync(client);
        await Assert.That((await client.CallToolAsync("orchestrator_restart_server")).Structured()["phase"]!.GetValue<string>()).IsEqualTo("complete");
        await Assert.That(client.Pid).IsEqualTo(pid);
        await Assert.That(client.Stderr).DoesNotContain("Unhandled exception");
    }

    [Test]
    public async Task A_write_lock_held_by_another_process_bounds_the_restart_by_its_timeout_and_the_health_check()
    {
        using var data = new TempDirectory();
        await using var client = await McpStdioClient.StartInitializedAsync(data.Path);
        var taskId = await TaskProbe.AssertWritableAsync(client);

        JitSqlite.Ensure();
        using (var other = new SqliteConnection($"Data Source={Path.Combine(data.Path, "orchestrator.db")};Pooling=False"))
        {
            other.Open();
            using (var begin = other.CreateCommand())
            {
                begin.CommandText = "BEGIN IMMEDIATE";
                begin.ExecuteNonQuery();
            }

            // Every answer below arrives while the lock is still held: each wait is bounded, none waits for the lock to go.
            var health = await DatabaseHealthAsync(client);
            await Assert.That(health["writable"]!.GetValue<bool>()).IsFalse();
            await Assert.That(health["status"]!.GetValue<string>()).StartsWith("locked");
            var error = (await client.CallToolAsync("orchestrator_restart_server", new JsonObject { ["timeout"] = 10 })).Error();
            await Assert.That(error["error_code"]!.GetValue<string>()).IsEqualTo("TIMEOUT_EXCEEDED");
            await Assert.That(error["error"]!.GetValue<string>()).Contains("10s timeout");
            var status = (await client.CallToolAsync("orchestrator_restart_status")).Structured()["current_status"]!;
            await Assert.That(status["phase"]!.GetValue<string>()).IsEqualTo("failed");
            await Assert.That(status["maintenance_mode"]!.GetValue<bool>()).IsFalse();
            var readiness = (await client.CallToolAsync("orchestrator_health_check")).Structured()["checks"]!["reboot_readiness"]!;
            await Assert.That(readiness["details"]!["restart_in_progress"]!.GetValue<bool>()).IsFalse();

            using var rollback = other.CreateCommand();
            rollback.CommandText = "ROLLBACK";
            rollback.ExecuteNonQuery();
        }

        await Assert.That((await client.CallToolAsync("orchestrator_restart_server")).Structured()["phase"]!.GetValue<string>()).IsEqualTo("complete");
        await TaskProbe.AssertTaskExistsAsync(client, taskId);
    }

    /// <summary>Servers started together on a new data directory all create, or all find, the same store: none loses the race.</summary>
    [Test]
    public async Task Servers_started_together_on_a_new_data_directory_all_open_the_store()
    {
        const int Rounds = 15;
        const int ServersPerDirectory = 4;
        for (var round = 0; round < Rounds; round++)
        {
            using var data = new TempDirectory();
            var clients = Enumerable.Range(0, ServersPerDirectory).Select(_ => McpStdioClient.Start(data.Path)).ToList();
            try
            {
                foreach (var client in clients) await client.InitializeAsync();
                foreach (var client in clients)
                {
                    var health = (await client.CallToolAsync("orchestrator_health_check")).Structured();
                    await Assert.That(health["checks"]!["database"]!["status"]!.GetValue<string>()).IsEqualTo("ok");
                    await TaskProbe.AssertWritableAsync(client);
                }
            }
            finally
            {
                foreach (var client in clients) await client.DisposeAsync();
            }
            await Assert.That(StoreDump.IntegrityCheck(data.Path)).IsEqualTo("ok");
        }
    }
}
