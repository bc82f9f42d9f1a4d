using System.Text.Json.Nodes;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>
/// A huge invalid call gets a bounded answer: arrays longer than their declared bound are refused before any item is
/// read, and past the errors listed (100 by default) the rest are counted, not listed.
/// </summary>
public sealed class ArgumentLimitTests
{
    [Test]
    public async Task An_array_over_its_bound_is_refused_with_one_error_before_its_items_are_read()
    {
        using var data = new TempDirectory();
        using var project = new TempDirectory();
        await using var client = await McpStdioClient.StartInitializedAsync(data.Path);
        var session = await SessionAsync(client, project.Path);

        var unknown = new JsonArray(Enumerable.Range(0, 100_000).Select(i => (JsonNode)JsonValue.Create($"nope-{i}")).ToArray());
        var error = (await client.CallToolAsync("orchestrator_plan_task", new JsonObject
        {
            ["session_id"] = session,
            ["title"] = "huge",
            ["subtasks"] = new JsonArray(new JsonObject { ["title"] = "a", ["role"] = "implementer", ["depends_on"] = unknown }),
        })).Error();
        await Assert.That(error["error_code"]!.GetValue<string>()).IsEqualTo("INVALID_PARAMETERS");
        await Assert.That(error["errors"]!.AsArray().Select(e => e!.GetValue<string>()))
            .IsEquivalentTo(["subtasks[0].depends_on: at most 50 items, got 100000"]);
        // The schema says so too.
        var tools = await client.RequestAsync("tools/list");
        var plan = tools["tools"]!.AsArray().Single(t => t!["name"]!.GetValue<string>() == "orchestrator_plan_task")!;
        var subtasks = plan["inputSchema"]!["properties"]!["subtasks"]!;
        await Assert.That(subtasks["maxItems"]!.GetValue<int>()).IsEqualTo(50);
        await Assert.That(subtasks["items"]!["properties"]!["depends_on"]!["maxItems"]!.GetValue<int>()).IsEqualTo(50);
    }

    [Test]
    public async Task Past_the_errors_listed_the_rest_are_counted()
    {
        using var data = new TempDirectory();
        using var project = new TempDirectory();
        await using var client = await McpStdioClient.StartInitializedAsync(data.Path);
        var session = await SessionAsync(client, project.Path);

        // 50 subtasks, each depending on 49 keys no subtask has: 2,450 errors.
        var subtasks = new JsonArray();
        for (var i = 0; i < 50; i++)
            subtasks.Add(new JsonObject
            {
                ["title"] = $"s{i}", ["role"] = "implementer",
                ["depends_on"] = new JsonArray(Enumerable.Range(0, 49).Select(d => (JsonNode)JsonValue.Create($"missing-{i}-{d}")).ToArray()),
            });
        var error = (await client.CallToolAsync("orchestrator_plan_task",
            new JsonObject { ["session_id"] = session, ["title"] = "many errors", ["subtasks"] = subtasks })).Error();
        var listed = error["errors"]!.AsArray().Select(e => e!.GetValue<string>()).ToList();
        await Assert.That(listed.Count).IsEqualTo(101);
        await Assert.That(listed[0]).StartsWith("subtasks[0].depends_on[0]: unknown dependency");
        await Assert.That(listed[^1]).IsEqualTo("and 2350 more (first 100 of 2450 listed)");
        await Assert.That(error["error"]!.GetValue<string>()).StartsWith("Invalid parameters (2450):");
        // Nothing was stored.
        var tasks = (await client.CallToolAsync("orchestrator_query_tasks", new JsonObject { ["session_id"] = session })).Structured();
        await Assert.That(tasks["tasks"]!.AsArray().Count).IsEqualTo(0);
    }

    [Test]
    public async Task The_errors_listed_are_configurable()
    {
        using var data = new TempDirectory();
        using var project = new TempDirectory();
        await using var client = McpStdioClient.Start(data.Path, extraArgs: ["--max-errors-listed", "3"]);
        await client.InitializeAsync();
        var session = await SessionAsync(client, project.Path);
        var error = (await client.CallToolAsync("orchestrator_plan_task", new JsonObject
        {
            ["session_id"] = session, ["title"] = "x",
            ["subtasks"] = new JsonArray(new JsonObject
            {
                ["title"] = "a", ["role"] = "implementer",
                ["depends_on"] = new JsonArray(Enumerable.Range(0, 10).Select(d => (JsonNode)JsonValue.Create($"m{d}")).ToArray()),
            }),
        })).Error();
        var listed = error["errors"]!.AsArray().Select(e => e!.GetValue<string>()).ToList();
        await Assert.That(listed.Count).IsEqualTo(4);
        await Assert.That(listed[^1]).IsEqualTo("and 7 more (first 3 of 10 listed)");
    }

    private static async Task<string> SessionAsync(McpStdioClient client, string project) =>
        (await client.CallToolAsync("orchestrator_initialize_session", new JsonObject { ["working_directory"] = project }))
            .Structured()["session_id"]!.GetValue<string>();
}
