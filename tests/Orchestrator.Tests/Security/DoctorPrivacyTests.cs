using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Orchestrator.Tests.EndToEnd;

namespace Orchestrator.Tests.Security;

/// <summary>
/// <c>orchestrator doctor</c> on privacy: store files and data directories that others can read are problems, each with
/// the command that fixes it; an HTTP server beyond the loopback without a token, a token on the command line and a
/// token file others can read are reported; the token itself is never printed (nor by <c>config</c>).
/// </summary>
public sealed partial class DoctorPrivacyTests
{
    private const UnixFileMode Mode755 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
    private const UnixFileMode Mode644 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode Mode600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private static Task<(int Exit, string Out, string Err)> Doctor(IDictionary<string, string>? environment, params string[] args) =>
        ProcessRun.RunAsync(PublishedBinary.Path, ["doctor", .. args], environment: environment);

    [GeneratedRegex(@"fix: (.+)$", RegexOptions.Multiline)]
    private static partial Regex FixCommand();

    [Test]
    public async Task A_store_and_a_data_directory_that_others_can_read_are_flagged_with_the_commands_that_fix_them()
    {
        using var data = new TempDirectory();
        using var project = new TempDirectory();
        await using (var client = await McpStdioClient.StartInitializedAsync(data.Path))
        {
            (await client.CallToolAsync("orchestrator_initialize_session", new JsonObject { ["working_directory"] = project.Path })).Structured();
            await Assert.That(await client.StopAsync()).IsEqualTo(0);
        }
        var clean = await Doctor(null, "--data-dir", data.Path);
        await Assert.That(clean.Exit).IsEqualTo(0).Because(clean.Out);
        await Assert.That(clean.Out).DoesNotContain("privacy");

        var database = Path.Combine(data.Path, "orchestrator.db");
        File.SetUnixFileMode(database, Mode644);
        File.SetUnixFileMode(data.Path, Mode755);
        var exposed = await Doctor(null, "--data-dir", data.Path);
        await Assert.That(exposed.Exit).IsEqualTo(1);
        await Assert.That(exposed.Out)
            .Contains($"FAIL  privacy    {data.Path}: other users can read it (mode 0755); fix: chmod 700 {data.Path}")
            .And.Contains($"FAIL  privacy    {database}: other users can read it (mode 0644); fix: chmod 600 {database}")
            .And.Contains("problem(s) found");

        // The commands it prints are the fix: run as printed, they leave nothing to report.
        foreach (Match fix in FixCommand().Matches(exposed.Out))
        {
            var (exit, _, err) = await ProcessRun.RunAsync("/bin/sh", ["-c", fix.Groups[1].Value]);
            await Assert.That(exit).IsEqualTo(0).Because(err);
        }
        var fixedUp = await Doctor(null, "--data-dir", data.Path);
        await Assert.That(fixedUp.Exit).IsEqualTo(0).Because(fixedUp.Out);
        await Assert.That(fixedUp.Out).Contains("all checks passed");
    }

    [Test]
    public async Task Http_beyond_the_loopback_without_a_token_is_warned_about()
    {
        using var data = new TempDirectory();
        var open = await Doctor(null, "--data-dir", data.Path, "--http", "0.0.0.0:8080", "--http-allow-remote");
        await Assert.That(open.Exit).IsEqualTo(1);
        await Assert.That(open.Out).Contains("WARN  http       HTTP on 0.0.0.0:8080 is reachable beyond this machine without a token");

        const string Token = "doctor-env-token-5b1f";
        var withToken = await Doctor(new Dictionary<string, string> { ["ORCHESTRATOR_AUTH_TOKEN"] = Token },
            "--data-dir", data.Path, "--http", "0.0.0.0:8080", "--http-allow-remote");
        await Assert.That(withToken.Exit).IsEqualTo(0).Because(withToken.Out);
        await Assert.That(withToken.Out).DoesNotContain("WARN").And.DoesNotContain(Token);

        var loopback = await Doctor(null, "--data-dir", data.Path, "--http", "8080");
        await Assert.That(loopback.Exit).IsEqualTo(0).Because(loopback.Out);
    }

    [Test]
    public async Task Token_problems_are_reported_and_the_token_is_never_printed()
    {
        using var data = new TempDirectory();
        using var secrets = new TempDirectory();
        const string Token = "doctor-file-token-9c2e";
        var tokenFile = Path.Combine(secrets.Path, "token");
        await File.WriteAllTextAsync(tokenFile, Token + "\n");

        File.SetUnixFileMode(tokenFile, Mode644);
        var readable = await Doctor(null, "--data-dir", data.Path, "--auth-token-file", tokenFile);
        await Assert.That(readable.Exit).IsEqualTo(1);
        await Assert.That(readable.Out).Contains($"FAIL  token      {tokenFile}: other users can read it (mode 0644)")
            .And.Contains($"chmod 600 {tokenFile}").And.Contains("--allow-readable-token-file").And.DoesNotContain(Token);
        var accepted = await Doctor(null, "--data-dir", data.Path, "--auth-token-file", tokenFile, "--allow-readable-token-file");
        await Assert.That(accepted.Exit).IsEqualTo(0).Because(accepted.Out);

        File.SetUnixFileMode(tokenFile, Mode600);
        var good = await Doctor(null, "--data-dir", data.Path, "--auth-token-file", tokenFile);
        await Assert.That(good.Exit).IsEqualTo(0).Because(good.Out);
        await Assert.That(good.Out).Contains($"ok    token      read from {tokenFile}").And.DoesNotContain(Token);

        var onCommandLine = await Doctor(null, "--data-dir", data.Path, "--auth-token", Token);
        await Assert.That(onCommandLine.Exit).IsEqualTo(1);
        await Assert.That(onCommandLine.Out).Contains("WARN  token      --auth-token puts the token in the command line")
            .And.DoesNotContain(Token);
        await Assert.That(onCommandLine.Err).DoesNotContain(Token);

        // The snippet that registers the server with a client carries no token either.
        var config = await ProcessRun.RunAsync(PublishedBinary.Path, ["config", "claude-code", "--data-dir", data.Path, "--auth-token", Token]);
        await Assert.That(config.Exit).IsEqualTo(0);
        await Assert.That(config.Out + config.Err).Contains(data.Path).And.DoesNotContain(Token);
    }
}
