using System.Text.Json.Nodes;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>
/// The official MCP TypeScript SDK client (tests/clients, installed by ./test.sh with npm ci) drives a restart of
/// the published binary: it must see no error, no close and no reconnect, and go on with the same session.
/// </summary>
public class RealClientTests
{
    private static string Clients => InspectorCli.Clients;

    [Test]
    public async Task The_mcp_inspector_cli_lists_and_calls_the_tools()
    {
        using var data = new TempDirectory();
        var listed = await InspectorCli.RunAsync(data.Path, "--method", "tools/list");
        var names = listed["tools"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).ToArray();
        await Assert.That(names.Length).IsEqualTo(ServedTools.Count);
        await Assert.That(names).Contains("orchestrator_restart_server").And.Contains("orchestrator_plan_task");

        var restart = await InspectorCli.RunAsync(data.Path, "--method", "tools/call", "--tool-name", "orchestrator_restart_server",
            "--tool-arg", "reason=configuration_update");
        await Assert.That(restart["isError"]!.GetValue<bool>()).IsFalse();
        await Assert.That(restart["structuredContent"]!["phase"]!.GetValue<string>()).IsEqualTo("complete");
        await Assert.That(restart["structuredContent"]!["restart_reason"]!.GetValue<string>()).IsEqualTo("configuration_update");

        var health = await InspectorCli.RunAsync(data.Path, "--method", "tools/call", "--tool-name", "orchestrator_health_check");
        await Assert.That(health["structuredContent"]!["healthy"]!.GetValue<bool>()).IsTrue();
    }

    [Test]
    public async Task The_typescript_sdk_client_sees_a_restart_as_one_slow_answer()
    {
        var clients = Clients;
        if (!Directory.Exists(Path.Combine(clients, "node_modules", "@modelcontextprotocol", "sdk")))
            throw new InvalidOperationException($"the TypeScript SDK is not installed in {clients}: run ./test.sh (it runs npm ci there)");
        using var data = new TempDirectory();
        var (exit, output, error) = await ProcessRun.RunAsync("node", ["ts-sdk-restart.mjs", PublishedBinary.Path, data.Path], clients);

        var findings = JsonNode.Parse(output.Trim().Split('\n')[^1])!;
        await Assert.That(exit).IsEqualTo(0).Because(output + error);
        await Assert.That(findings["ok"]!.GetValue<bool>()).IsTrue();
        await Assert.That(findings["errors"]!.GetValue<int>()).IsEqualTo(0);
        await Assert.That(findings["closed"]!.GetValue<bool>()).IsFalse();
        await Assert.That(findings["restart_pid"]!.GetValue<int>()).IsEqualTo(findings["pid"]!.GetValue<int>());
        await Assert.That(findings["progress"]!.AsArray().Count).IsGreaterThan(0);
    }
}
