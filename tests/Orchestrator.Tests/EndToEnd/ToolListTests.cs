using Orchestrator.Tooling;
using System.Text.Json.Nodes;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>tools/list over the wire equals the reboot contract (<c>reboot-api.json</c>, taken from the seed document).</summary>
public class ToolListTests
{
    private static JsonObject Contract => JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Contract", "reboot-api.json")))!.AsObject();

    [Test]
    public async Task Tools_list_equals_the_contract()
    {
        using var data = new TempDirectory();
        // Only the reboot group: the contract's five tools and nothing else.
        var client = McpStdioClient.Start(data.Path, extraArgs: ["--tools", "reboot"]);
        await using var _ = client;
        await client.InitializeAsync();
        var tools = (await client.RequestAsync("tools/list"))["tools"]!.AsArray().Select(t => t!.AsObject()).ToDictionary(t => t["name"]!.GetValue<string>());

        var expected = Contract["tools"]!.AsArray().Select(t => t!.AsObject()).ToArray();
        await Assert.That(tools.Keys.Order()).IsEquivalentTo(expected.Select(t => t["name"]!.GetValue<string>()).Order());
        foreach (var contract in expected)
        {
            var name = contract["name"]!.GetValue<string>();
            var listed = tools[name];
            var description = contract["listing_description"]?.GetValue<string>() ?? contract["summary"]!.GetValue<string>();
            await Assert.That(listed["description"]!.GetValue<string>()).IsEqualTo(description);
            // Input schemas are exactly the seed's: same properties, types, defaults, bounds, enums, descriptions, required: [].
            await Assert.That(JsonNode.DeepEquals(listed["inputSchema"], contract["inputSchema"]))
                .IsTrue().Because($"{name} inputSchema {listed["inputSchema"]!.ToJsonString()}");
            await Assert.That(listed["outputSchema"]!["required"]!.AsArray().Select(r => r!.GetValue<string>()).Order())
                .IsEquivalentTo(contract["responseSchema"]!["required"]!.AsArray().Select(r => r!.GetValue<string>()).Order());
        }
    }

    [Test]
    public async Task Tool_groups_select_what_is_listed_and_served()
    {
        using var data = new TempDirectory();
        await using var all = await McpStdioClient.StartInitializedAsync(data.Path);
        var everything = (await all.RequestAsync("tools/list"))["tools"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).ToArray();
        await Assert.That(everything.Length).IsEqualTo(ServedTools.Count);

        var tasksOnly = McpStdioClient.Start(data.Path, extraArgs: ["--tools", "tasks"]);
        await using var _ = tasksOnly;
        await tasksOnly.InitializeAsync();
        var names = (await tasksOnly.RequestAsync("tools/list"))["tools"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).ToArray();
        await Assert.That(names.Length).IsEqualTo(GeneratedTools.All.Count(t => t.Group == "tasks"));
        await Assert.That(names).Contains("orchestrator_plan_task");
        await Assert.That(names).DoesNotContain("orchestrator_restart_server");
        // A tool outside the served groups is unknown, not silently run.
        var refused = await tasksOnly.SendAsync("tools/call", new JsonObject { ["name"] = "orchestrator_health_check", ["arguments"] = new JsonObject() });
        await Assert.That(refused.ContainsKey("error") || refused["result"]?["isError"]?.GetValue<bool>() == true).IsTrue();
    }

    [Test]
    public async Task Stdout_carries_nothing_but_json_rpc_and_the_test_hook_tool_is_hidden()
    {
        using var data = new TempDirectory();
        await using var client = await McpStdioClient.StartInitializedAsync(data.Path);
        var names = (await client.RequestAsync("tools/list"))["tools"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).ToArray();
        await client.CallToolAsync("orchestrator_health_check");
        await client.StopAsync();
        await Assert.That(names).DoesNotContain("orchestrator_test_sleep");
        await Assert.That(client.ForeignLines).IsEmpty();
    }
}
