using System.Text.Json.Nodes;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>The binary's command-line manners: help, version, bad flags, client config snippets, doctor.</summary>
public class CliTests
{
    private static Task<(int Exit, string Out, string Err)> RunAsync(params string[] args) => ProcessRun.RunAsync(PublishedBinary.Path, args);

    [Test]
    public async Task Help_version_and_bad_flags()
    {
        var help = await RunAsync("--help");
        await Assert.That(help.Exit).IsEqualTo(0);
        await Assert.That(help.Out).Contains("--data-dir").And.Contains("ORCHESTRATOR_DATA_DIR").And.Contains("doctor");
        var version = await RunAsync("--version");
        await Assert.That(version.Out.Trim()).IsEqualTo("orchestrator 0.1.0");
        var bad = await RunAsync("--frobnicate");
        await Assert.That(bad.Exit).IsEqualTo(2);
        await Assert.That(bad.Err).Contains("unknown option --frobnicate");
        await Assert.That(bad.Out).IsEmpty();
        var badGroup = await RunAsync("--tools", "reboot,nonsense");
        await Assert.That(badGroup.Exit).IsEqualTo(2);
        await Assert.That(badGroup.Err).Contains("nonsense");
    }

    [Test]
    [Arguments("claude-desktop", "mcpServers")]
    [Arguments("cursor", "mcpServers")]
    [Arguments("windsurf", "mcpServers")]
    [Arguments("vscode", "servers")]
    public async Task Config_prints_a_snippet_with_the_absolute_binary_and_the_data_directory(string client, string rootKey)
    {
        using var data = new TempDirectory();
        var (exit, output, _) = await RunAsync("config", client, "--data-dir", data.Path);
        await Assert.That(exit).IsEqualTo(0);
        var server = JsonNode.Parse(output)![rootKey]!["orchestrator"]!;
        await Assert.That(server["command"]!.GetValue<string>()).IsEqualTo(Path.GetFullPath(PublishedBinary.Path));
        await Assert.That(server["args"]!.AsArray().Select(a => a!.GetValue<string>())).IsEquivalentTo(["--data-dir", data.Path],
            TUnit.Assertions.Enums.CollectionOrdering.Matching);
    }

    [Test]
    public async Task Config_for_claude_code_is_a_shell_command_with_quoting()
    {
        var (exit, output, _) = await RunAsync("config", "claude-code", "--data-dir", "/tmp/it's here");
        await Assert.That(exit).IsEqualTo(0);
        await Assert.That(output.Trim()).IsEqualTo($"claude mcp add orchestrator -- {Path.GetFullPath(PublishedBinary.Path)} --data-dir '/tmp/it'\\''s here'");
        var unknown = await RunAsync("config", "emacs");
        await Assert.That(unknown.Exit).IsEqualTo(2);
    }

    [Test]
    public async Task Doctor_reports_a_healthy_store_and_fails_on_a_damaged_one()
    {
        using var data = new TempDirectory();
        await using (var client = await McpStdioClient.StartInitializedAsync(data.Path))
        {
            await client.CallToolAsync("orchestrator_restart_server");
            await Assert.That(await client.StopAsync()).IsEqualTo(0);
        }
        var healthy = await RunAsync("doctor", "--data-dir", data.Path);
        await Assert.That(healthy.Exit).IsEqualTo(0);
        await Assert.That(healthy.Out).Contains("integrity ok").And.Contains("1 restart(s) recorded").And.Contains("all checks passed");

        // The server folded its WAL into the file when it stopped: damaging the file alone is damage to everything.
        await File.WriteAllTextAsync(Path.Combine(data.Path, "orchestrator.db"), "this is not a database");
        var damaged = await RunAsync("doctor", "--data-dir", data.Path);
        await Assert.That(damaged.Exit).IsEqualTo(1);
        await Assert.That(damaged.Out).Contains("FAIL  database");
    }
}
