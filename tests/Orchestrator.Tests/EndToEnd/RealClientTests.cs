using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>
/// The official MCP TypeScript SDK client (tests/clients, installed by ./test.sh with npm ci) drives a restart of
/// the published binary: it must see no error, no close and no reconnect, and go on with the same session.
/// </summary>
public class RealClientTests
{
    [Test]
    public async Task The_typescript_sdk_client_sees_a_restart_as_one_slow_answer()
    {
        var clients = Path.Combine(PublishedBinary.RepositoryRoot, "tests", "clients");
        if (!Directory.Exists(Path.Combine(clients, "node_modules", "@modelcontextprotocol", "sdk")))
            throw new InvalidOperationException($"the TypeScript SDK is not installed in {clients}: run ./test.sh (it runs npm ci there)");
        using var data = new TempDirectory();
        var info = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = clients };
        info.ArgumentList.Add("ts-sdk-restart.mjs");
        info.ArgumentList.Add(PublishedBinary.Path);
        info.ArgumentList.Add(data.Path);
        using var node = Process.Start(info)!;
        var output = node.StandardOutput.ReadToEndAsync();
        var error = node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));

        var findings = JsonNode.Parse((await output).Trim().Split('\n')[^1])!;
        await Assert.That(node.ExitCode).IsEqualTo(0).Because(await output + await error);
        await Assert.That(findings["ok"]!.GetValue<bool>()).IsTrue();
        await Assert.That(findings["errors"]!.GetValue<int>()).IsEqualTo(0);
        await Assert.That(findings["closed"]!.GetValue<bool>()).IsFalse();
        await Assert.That(findings["restart_pid"]!.GetValue<int>()).IsEqualTo(findings["pid"]!.GetValue<int>());
        await Assert.That(findings["progress"]!.AsArray().Count).IsGreaterThan(0);
    }
}
