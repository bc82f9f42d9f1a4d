using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Tests.EndToEnd;
using Orchestrator.Tests.Http;
using Orchestrator.Tests.Reliability;

namespace Orchestrator.Tests.Concurrency;

/// <summary>
/// A client that lost its answer retries with the same request_id: over stdio (the client closed its pipes right after
/// writing the call) and over HTTP (the client dropped its connection once the server had committed, before reading
/// the answer), then after an in-place restart and a cold start. The change is made once; every retry answers the same.
/// </summary>
public class IdempotentRetryTests
{
    private static JsonObject PlanArguments(string sessionId, string requestId) => new()
    {
        ["session_id"] = sessionId, ["title"] = "Retried plan", ["request_id"] = requestId,
        ["subtasks"] = new JsonArray(new JsonObject { ["key"] = "a", ["title"] = "A", ["role"] = "architect", ["description"] = "a" }),
    };

    private static long Tasks(string data) => AgentTools.Count(data, "SELECT count(*) FROM tasks WHERE title = 'Retried plan'");

    /// <summary>Waits until the store holds the planned task: the server committed the call (the store is the signal).</summary>
    private static async Task WaitForCommitAsync(string data)
    {
        var deadline = DateTime.UtcNow + McpStdioClient.AnswerTimeout;
        while (Tasks(data) == 0)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the call was never committed");
            await Task.Delay(20);
        }
    }

    [Test]
    public async Task A_stdio_client_that_closed_after_writing_the_call_retries_and_gets_the_first_answer_the_change_made_once()
    {
        using var data = new TempDirectory();
        using var project = new TempDirectory();
        string sessionId;
        await using (var first = await McpStdioClient.StartInitializedAsync(data.Path))
        {
            sessionId = (await first.CallToolAsync("orchestrator_initialize_session", new JsonObject { ["working_directory"] = project.Path })).Structured()["session_id"]!.GetValue<string>();
            _ = first.SendToolCall("orchestrator_plan_task", PlanArguments(sessionId, "plan-1"));
            // Closing the pipes at once: the server finishes what it read, then exits; the client never reads the answer.
            await Assert.That(await first.StopAsync()).IsEqualTo(0);
        }
        await Assert.That(Tasks(data.Path)).IsEqualTo(1);
        var committed = StoreDump.Of(data.Path);

        await using var server = await RestartableServer.StartAsync(data.Path);
        var retry = (await server.CallAsync("orchestrator_plan_task", PlanArguments(sessionId, "plan-1"))).ToJsonString();
        await Assert.That(StoreDump.Of(data.Path)).IsEqualTo(committed);
        await Assert.That(retry).Contains(StoredTaskId(data.Path));

        await server.RestartInPlaceAsync();
        await Assert.That((await server.CallAsync("orchestrator_plan_task", PlanArguments(sessionId, "plan-1"))).ToJsonString()).IsEqualTo(retry);
        await server.ColdStartAsync();
        await Assert.That((await server.CallAsync("orchestrator_plan_task", PlanArguments(sessionId, "plan-1"))).ToJsonString()).IsEqualTo(retry);
        await Assert.That(Tasks(data.Path)).IsEqualTo(1);

        // The same id with other arguments is refused and changes nothing; a bad id too.
        var before = StoreDump.Of(data.Path);
        var other = PlanArguments(sessionId, "plan-1");
        other["title"] = "Another plan";
        var refused = await server.RefusedAsync("orchestrator_plan_task", other);
        await Assert.That(refused["error_code"]!.GetValue<string>()).IsEqualTo("INVALID_PARAMETERS");
        await Assert.That(refused["error"]!.GetValue<string>()).Contains("request_id");
        var badId = PlanArguments(sessionId, "x");
        badId["request_id"] = 7;
        await Assert.That((await server.RefusedAsync("orchestrator_plan_task", badId))["error_code"]!.GetValue<string>()).IsEqualTo("INVALID_PARAMETERS");
        var reading = await server.RefusedAsync("orchestrator_get_status", new JsonObject { ["request_id"] = "r" });
        await Assert.That(reading["error_code"]!.GetValue<string>()).IsEqualTo("INVALID_PARAMETERS");
        await Assert.That(StoreDump.Of(data.Path)).IsEqualTo(before);
    }

    [Test]
    public async Task An_http_client_that_dropped_its_connection_after_the_commit_retries_and_gets_the_first_answer_the_change_made_once()
    {
        using var data = new TempDirectory();
        using var project = new TempDirectory();
        await using var server = await HttpServerProcess.StartAsync(data.Path);
        string sessionId;
        using (var setup = await RawHttpConnection.OpenAsync(server.Url))
        {
            await setup.InitializeAsync("agent-http");
            sessionId = (await setup.CallToolAsync("orchestrator_initialize_session", new JsonObject { ["working_directory"] = project.Path })).Result().Structured()["session_id"]!.GetValue<string>();
        }

        using (var dropped = await RawHttpConnection.OpenAsync(server.Url))
        {
            await dropped.InitializeAsync("agent-http");
            var body = Encoding.UTF8.GetBytes(new JsonObject
            {
                ["jsonrpc"] = "2.0", ["id"] = 99, ["method"] = "tools/call",
                ["params"] = new JsonObject { ["name"] = "orchestrator_plan_task", ["arguments"] = PlanArguments(sessionId, "plan-http") },
            }.ToJsonString());
            await dropped.SendRawAsync(dropped.Head(body.Length));
            await dropped.SendRawAsync(body);
            await WaitForCommitAsync(data.Path);
        } // the connection closes here, its answer unread
        var committed = StoreDump.Of(data.Path);

        using var retrying = await RawHttpConnection.OpenAsync(server.Url);
        await retrying.InitializeAsync("agent-http");
        var retry = (await retrying.CallToolAsync("orchestrator_plan_task", PlanArguments(sessionId, "plan-http"))).Result().Structured();
        await Assert.That(retry["task"]!["id"]!.GetValue<string>()).IsEqualTo(StoredTaskId(data.Path));
        await Assert.That(StoreDump.Of(data.Path)).IsEqualTo(committed);
        var again = (await retrying.CallToolAsync("orchestrator_plan_task", PlanArguments(sessionId, "plan-http"))).Result().Structured();
        await Assert.That(again.ToJsonString()).IsEqualTo(retry.ToJsonString());
        await Assert.That(Tasks(data.Path)).IsEqualTo(1);
    }

    private static string StoredTaskId(string data)
    {
        Unit.JitSqlite.Ensure();
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(data, "orchestrator.db")};Mode=ReadOnly");
        connection.Open();
        return (string)StoreDump.Query(connection, "SELECT id FROM tasks WHERE title = 'Retried plan'").Single()[0]!;
    }
}
