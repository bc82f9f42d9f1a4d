using System.Text.Json.Nodes;
using Orchestrator.Tests.Orchestration;
using Orchestrator.Tests.Reliability;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>The published binary, cold-started on a store the previous schema wrote, upgrades it with nothing lost and serves the new tools over it.</summary>
public class StoreUpgradeEndToEndTests
{
    [Test]
    public async Task The_binary_upgrades_a_store_of_the_previous_schema_and_searches_and_ranks_its_data()
    {
        using var data = new TempDirectory();
        using var project = new TempDirectory();
        var path = Path.Combine(data.Path, "orchestrator.db");
        PreviousSchemaStore.Create(path, project.Path);
        var before = PreviousSchemaStore.OldRows(path);

        await using var server = await RestartableServer.StartAsync(data.Path);
        var search = await server.CallAsync("orchestrator_query_tasks", new JsonObject { ["text"] = "gondola" });
        await Assert.That(search["tasks"]![0]!["match"]!["subtask_id"]!.GetValue<string>()).IsEqualTo("sub_0ld000000001");
        var next = await server.CallAsync("orchestrator_next_subtasks");
        await Assert.That(next["subtasks"]!.AsArray().Select(r => r!["subtask"]!["id"]!.GetValue<string>()))
            .IsEquivalentTo(["sub_0ld000000002", "sub_0ld000000003", "sub_0ld000000004"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        var history = await server.CallAsync("orchestrator_restart_status", new JsonObject { ["include_history"] = true });
        await Assert.That(history.ToJsonString()).Contains("manual_request");
        await Assert.That(PreviousSchemaStore.OldRows(path)).IsEqualTo(before);
        using (var connection = Open(path))
            await Assert.That(StoreDump.Query(connection, "PRAGMA user_version")[0][0]).IsEqualTo((object)(long)Storage.Migrations.Latest);
        await Assert.That(StoreDump.IntegrityCheck(data.Path)).IsEqualTo("ok");
    }

    private static Microsoft.Data.Sqlite.SqliteConnection Open(string path)
    {
        var connection = new Microsoft.Data.Sqlite.SqliteConnection(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder { DataSource = path, Mode = Microsoft.Data.Sqlite.SqliteOpenMode.ReadOnly }.ToString());
        connection.Open();
        return connection;
    }
}
