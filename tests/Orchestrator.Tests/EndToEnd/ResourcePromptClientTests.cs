using System.Text.Json.Nodes;
using Orchestrator.Tests.Http;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>
/// Resources, prompts and completions as real clients use them: the official TypeScript SDK client over stdio and over
/// Streamable HTTP (tests/clients/ts-sdk-resources.mjs: list and page, read a template, follow a tool result's
/// resource_link, get a prompt, complete an argument, restart in place and read on, and a subscription whose update
/// arrives after the restart), and the MCP Inspector CLI listing and reading them.
/// </summary>
public class ResourcePromptClientTests
{
    private static async Task<JsonNode> RunScriptAsync(params string[] arguments)
    {
        var clients = InspectorCli.Clients;
        if (!Directory.Exists(Path.Combine(clients, "node_modules", "@modelcontextprotocol", "sdk")))
            throw new InvalidOperationException($"the TypeScript SDK is not installed in {clients}: run ./test.sh (it runs npm ci there)");
        var (exit, output, error) = await ProcessRun.RunAsync("node", ["ts-sdk-resources.mjs", .. arguments], clients);
        await Assert.That(exit).IsEqualTo(0).Because(output + error);
        var findings = JsonNode.Parse(output.Trim().Split('\n')[^1])!;
        await Assert.That(findings["ok"]!.GetValue<bool>()).IsTrue();
        await Assert.That(findings["templates"]!.GetValue<int>()).IsEqualTo(4);
        await Assert.That(findings["prompts"]!.GetValue<int>()).IsEqualTo(4);
        await Assert.That(findings["restart_generation"]!.GetValue<int>()).IsEqualTo(1);
        return findings;
    }

    [Test]
    public async Task The_typescript_sdk_client_reads_gets_completes_and_receives_an_update_across_a_restart_over_stdio()
    {
        using var data = new TempDirectory();
        var findings = await RunScriptAsync("stdio", PublishedBinary.Path, data.Path);
        await Assert.That(findings["subscribed"]!.GetValue<bool>()).IsTrue();
        await Assert.That(findings["updates"]!.AsArray().Select(u => u!.GetValue<string>())).Contains(u => u.StartsWith("orchestrator://tasks/", StringComparison.Ordinal));
    }

    [Test]
    public async Task The_typescript_sdk_client_reads_gets_completes_and_receives_an_update_across_a_restart_over_http()
    {
        using var data = new TempDirectory();
        await using var server = await HttpServerProcess.StartAsync(data.Path, "--auth-token", "resources-token");
        var findings = await RunScriptAsync("http", server.Url.ToString(), "resources-token");
        // The update travels on the session's GET stream, which the client reopened with its last event id after the restart.
        await Assert.That(findings["subscribed"]!.GetValue<bool>()).IsTrue();
        await Assert.That(findings["updates"]!.AsArray().Select(u => u!.GetValue<string>())).Contains(u => u.StartsWith("orchestrator://tasks/", StringComparison.Ordinal));
    }

    [Test]
    public async Task The_mcp_inspector_cli_lists_and_reads_resources_and_gets_prompts()
    {
        using var data = new TempDirectory();
        string taskId;
        await using (var server = await RestartableServer.StartAsync(data.Path))
        {
            var session = (await server.CallAsync("orchestrator_initialize_session", new JsonObject { ["working_directory"] = data.Path }))["session_id"]!.GetValue<string>();
            taskId = (await server.CallAsync("orchestrator_plan_task", new JsonObject
            {
                ["session_id"] = session, ["title"] = "Inspected task",
                ["subtasks"] = new JsonArray(new JsonObject { ["title"] = "Look at it", ["role"] = "reviewer" }),
            }))["task"]!["id"]!.GetValue<string>();
        }
        var taskUri = $"orchestrator://tasks/{taskId}";

        var resources = (await InspectorCli.RunAsync(data.Path, "--method", "resources/list"))["resources"]!.AsArray();
        await Assert.That(resources.Select(r => r!["uri"]!.GetValue<string>())).Contains(taskUri).And.Contains("orchestrator://tasks/open");
        await Assert.That(resources.Single(r => r!["uri"]!.GetValue<string>() == taskUri)!["title"]!.GetValue<string>()).IsEqualTo("Inspected task");

        var templates = (await InspectorCli.RunAsync(data.Path, "--method", "resources/templates/list"))["resourceTemplates"]!.AsArray();
        await Assert.That(templates.Select(t => t!["uriTemplate"]!.GetValue<string>())).Contains("orchestrator://artifacts/{artifact_id}");

        var read = (await InspectorCli.RunAsync(data.Path, "--method", "resources/read", "--uri", taskUri))["contents"]![0]!;
        await Assert.That(read["mimeType"]!.GetValue<string>()).IsEqualTo("text/markdown");
        await Assert.That(read["text"]!.GetValue<string>()).StartsWith("# Inspected task").And.Contains("Look at it");

        var prompts = (await InspectorCli.RunAsync(data.Path, "--method", "prompts/list"))["prompts"]!.AsArray();
        await Assert.That(prompts.Select(p => p!["name"]!.GetValue<string>())).Contains("plan_goal").And.Contains("work_next_subtask");

        var work = await InspectorCli.RunAsync(data.Path, "--method", "prompts/get", "--prompt-name", "work_next_subtask", "--prompt-args", $"task_id={taskId}");
        var embedded = work["messages"]!.AsArray().Where(m => m!["content"]!["type"]!.GetValue<string>() == "resource")
            .Select(m => m!["content"]!["resource"]!["uri"]!.GetValue<string>()).ToArray();
        await Assert.That(embedded).Contains(taskUri);
    }
}
