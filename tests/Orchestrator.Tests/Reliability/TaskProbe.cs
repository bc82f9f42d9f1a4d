using System.Text.Json.Nodes;
using Orchestrator.Tests.EndToEnd;

namespace Orchestrator.Tests.Reliability;

/// <summary>Small checks through the tools a client sees: the store takes writes, a task is there, the restart history.</summary>
internal static class TaskProbe
{
    public static async Task<string> SessionAsync(McpStdioClient client) =>
        (await client.CallToolAsync("orchestrator_initialize_session", new JsonObject { ["working_directory"] = Path.GetTempPath() }))
        .Structured()["session_id"]!.GetValue<string>();

    public static JsonObject Plan(string sessionId, string title) => new()
    {
        ["session_id"] = sessionId,
        ["title"] = title,
        ["subtasks"] = new JsonArray(new JsonObject { ["title"] = "only step of " + title, ["role"] = "implementer" }),
    };

    /// <summary>Stores a new task and reads it back; returns its id.</summary>
    public static async Task<string> AssertWritableAsync(McpStdioClient client)
    {
        var sessionId = await SessionAsync(client);
        var title = "probe " + Guid.NewGuid().ToString("n");
        var planned = (await client.CallToolAsync("orchestrator_plan_task", Plan(sessionId, title))).Structured();
        var id = planned["task"]!["id"]!.GetValue<string>();
        await AssertTaskExistsAsync(client, id);
        return id;
    }

    public static async Task AssertTaskExistsAsync(McpStdioClient client, string taskId)
    {
        var status = (await client.CallToolAsync("orchestrator_get_status", new JsonObject { ["task_id"] = taskId })).Structured();
        await Assert.That(status["tasks"]!.AsArray().Single()!["id"]!.GetValue<string>()).IsEqualTo(taskId);
    }

    public static async Task<JsonObject> HistoryAsync(McpStdioClient client) =>
        (await client.CallToolAsync("orchestrator_restart_status", new JsonObject { ["include_history"] = true })).Structured()["history"]!.AsObject();
}
