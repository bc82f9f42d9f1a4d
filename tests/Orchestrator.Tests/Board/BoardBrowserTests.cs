using System.Text.Json.Nodes;
using Orchestrator.Benchmarks;
using Orchestrator.Storage;
using Orchestrator.Tests.EndToEnd;
using Orchestrator.Tests.Http;

namespace Orchestrator.Tests.Board;

/// <summary>
/// The board in a real browser: Debian's headless Chromium driven by puppeteer-core (<c>tests/clients/board-browser.mjs</c>)
/// against the published binary serving <c>--http</c> with a token, on a seeded store. It refuses without the token,
/// loads and shows the seeded tasks, updates after a tool call from a separate MCP client, and survives an in-place
/// restart of the server without a reload (see the script for each check).
/// </summary>
public sealed class BoardBrowserTests
{
    private const string Token = "board-browser-token-42";

    [Test]
    public async Task The_board_loads_updates_and_survives_a_restart_in_a_real_browser()
    {
        var clients = Path.Combine(PublishedBinary.RepositoryRoot, "tests", "clients");
        if (!Directory.Exists(Path.Combine(clients, "node_modules", "puppeteer-core")))
            throw new InvalidOperationException($"puppeteer-core is not installed in {clients}: run ./test.sh (it runs npm ci there)");
        if (!File.Exists("/usr/bin/chromium"))
            throw new InvalidOperationException("Chromium is not installed: run ./test.sh (it installs Debian's chromium package)");
        using var data = new TempDirectory();
        Unit.JitSqlite.Ensure();
        TaskStoreSeeder.Seed(data.Path, 200, "/home/dev/seeded-project");
        string seededTitle;
        using (var database = Database.Open(Path.Combine(data.Path, "orchestrator.db")))
            seededTitle = database.Read(c =>
            {
                using var command = c.CreateCommand();
                command.CommandText = "SELECT title FROM tasks WHERE status = 'in_progress' ORDER BY updated_at_ms DESC, id DESC LIMIT 1";
                return (string)command.ExecuteScalar()!;
            });
        await using var server = await HttpServerProcess.StartAsync(data.Path, "--auth-token", Token);

        string[] arguments = ["board-browser.mjs", server.Url.ToString(), Token, seededTitle];
        var screenshots = Environment.GetEnvironmentVariable("BOARD_SCREENSHOTS");
        if (!string.IsNullOrEmpty(screenshots)) arguments = [.. arguments, "--screenshots", screenshots];
        var (exit, output, error) = await ProcessRun.RunAsync("node", arguments, clients);

        await Assert.That(exit).IsEqualTo(0).Because(output + error);
        var findings = JsonNode.Parse(output.Trim().Split('\n')[^1])!;
        await Assert.That(findings["ok"]!.GetValue<bool>()).IsTrue();
        var steps = findings["steps"]!.AsArray().Select(s => s is JsonValue v ? v.GetValue<string>() : ((JsonObject)s!).First().Key).ToArray();
        await Assert.That(steps).Contains("refused_without_token");
        await Assert.That(steps).Contains("updated_after_tool_call");
        await Assert.That(steps).Contains("survived_restart");
        var survived = findings["steps"]!.AsArray().OfType<JsonObject>().Single(s => s.ContainsKey("survived_restart"))["survived_restart"]!;
        await Assert.That(survived["pid"]!.GetValue<int>()).IsEqualTo(server.Pid);
        await Assert.That(survived["navigations"]!.GetValue<int>()).IsEqualTo(0);
        await Assert.That(server.Stderr).DoesNotContain(Token);
    }
}
