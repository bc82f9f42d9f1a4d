using System.Text.Json.Nodes;
using Orchestrator.Tests.Http;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>orchestrator_task_history over the published binary: the actor is the client's own name, over stdio and HTTP, and an in-place restart's suspension and resumption are recorded as the server's.</summary>
public class HistoryEndToEndTests
{
    private static JsonObject OneStepPlan(string sessionId) => new()
    {
        ["session_id"] = sessionId, ["title"] = "Ship it",
        ["subtasks"] = new JsonArray(new JsonObject { ["key"] = "a", ["title"] = "Do a", ["role"] = "implementer" }),
    };

    private static string[] Rows(JsonObject history) => history["entries"]!.AsArray()
        .Select(e => $"{e!["subtask_id"]?.GetValue<string>() ?? "task"} {e["from"]?.GetValue<string>() ?? "-"}>{e["to"]?.GetValue<string>() ?? "-"} {e["actor"]!.GetValue<string>()} {e["tool"]!.GetValue<string>()}")
        .ToArray();

    [Test]
    public async Task Over_stdio_the_client_name_is_the_actor_and_a_restart_is_recorded_as_the_server()
    {
        using var data = new TempDirectory();
        using var project = new TempDirectory();
        await using var client = await McpStdioClient.StartInitializedAsync(data.Path);
        var sessionId = (await client.CallToolAsync("orchestrator_initialize_session", new JsonObject { ["working_directory"] = project.Path }))
            .Structured()["session_id"]!.GetValue<string>();
        var plan = (await client.CallToolAsync("orchestrator_plan_task", OneStepPlan(sessionId))).Structured();
        var taskId = plan["task"]!["id"]!.GetValue<string>();
        var a = plan["subtasks"]![0]!["id"]!.GetValue<string>();
        (await client.CallToolAsync("orchestrator_execute_subtask", new JsonObject { ["subtask_id"] = a })).Structured();
        var restart = (await client.CallToolAsync("orchestrator_restart_server")).Structured();
        await Assert.That(restart["phase"]!.GetValue<string>()).IsEqualTo("complete");
        (await client.CallToolAsync("orchestrator_complete_subtask", new JsonObject
        {
            ["subtask_id"] = a, ["summary"] = "done", ["detailed_work"] = "all of it", ["artifact_type"] = "code",
        })).Structured();

        var history = (await client.CallToolAsync("orchestrator_task_history", new JsonObject { ["task_id"] = taskId })).Structured();
        await Assert.That(Rows(history)).IsEquivalentTo(new[]
        {
            "task in_progress>completed e2e-test-client orchestrator_complete_subtask",
            $"{a} in_progress>completed e2e-test-client orchestrator_complete_subtask",
            $"{a} suspended>in_progress orchestrator orchestrator_restart_server",
            $"{a} in_progress>suspended orchestrator orchestrator_restart_server",
            "task planned>in_progress e2e-test-client orchestrator_execute_subtask",
            $"{a} pending>in_progress e2e-test-client orchestrator_execute_subtask",
            $"{a} ->pending e2e-test-client orchestrator_plan_task",
            "task ->planned e2e-test-client orchestrator_plan_task",
        }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(history["total"]!.GetValue<int>()).IsEqualTo(8);

        var unknown = (await client.CallToolAsync("orchestrator_task_history", new JsonObject { ["task_id"] = "task_nope" })).Error();
        await Assert.That(unknown["error_code"]!.GetValue<string>()).IsEqualTo("NOT_FOUND");
    }

    [Test]
    public async Task Over_http_the_session_client_name_is_the_actor()
    {
        using var data = new TempDirectory();
        using var project = new TempDirectory();
        await using var server = await HttpServerProcess.StartAsync(data.Path);
        using var client = new McpHttpClient(server.Url);
        await client.InitializeAsync();
        var sessionId = (await client.CallToolAsync("orchestrator_initialize_session", new JsonObject { ["working_directory"] = project.Path }))
            .Result().Structured()["session_id"]!.GetValue<string>();
        var plan = (await client.CallToolAsync("orchestrator_plan_task", OneStepPlan(sessionId))).Result().Structured();
        var taskId = plan["task"]!["id"]!.GetValue<string>();
        var a = plan["subtasks"]![0]!["id"]!.GetValue<string>();
        (await client.CallToolAsync("orchestrator_execute_subtask", new JsonObject { ["subtask_id"] = a })).Result().Structured();

        var history = (await client.CallToolAsync("orchestrator_task_history", new JsonObject { ["task_id"] = taskId, ["subtask_id"] = a })).Result().Structured();
        await Assert.That(Rows(history)).IsEquivalentTo(new[]
        {
            $"{a} pending>in_progress http-e2e-client orchestrator_execute_subtask",
            $"{a} ->pending http-e2e-client orchestrator_plan_task",
        }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
    }
}
