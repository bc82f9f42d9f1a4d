using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Orchestrator.Tests.EndToEnd;

namespace Orchestrator.Tests.Security;

/// <summary>
/// <c>orchestrator doctor</c> on privacy: store files and data directories that others can read are problems, each with
/// the command that fixes it; an HTTP server beyond the loopback without a token, a token on the command line and a
/// token file others can read are reported; the token itself is never printed.
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
}
