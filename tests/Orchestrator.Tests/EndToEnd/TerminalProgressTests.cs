using Orchestrator.Tests.EndToEnd;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>
/// Long command-line work shows its progress on stderr only when stderr is a terminal: <c>import</c> of an export and
/// <c>doctor</c> run once on pipes (nothing but their usual output) and once on a pseudo-terminal (<c>script -q</c>),
/// where the progress line (rewritten in place) appears.
/// </summary>
public sealed class TerminalProgressTests
{
    private const string EraseLine = "\r\u001b[K";

    private static async Task<string> ExportAsync(TempDirectory data)
    {
        // A store with a task in it (a stdio server makes it), exported to a file.
        await using (var client = await McpStdioClient.StartInitializedAsync(data.Path))
        {
            var session = (await client.CallToolAsync("orchestrator_initialize_session",
                new System.Text.Json.Nodes.JsonObject { ["working_directory"] = Path.GetTempPath() })).Structured()["session_id"]!.GetValue<string>();
            await client.CallToolAsync("orchestrator_plan_task", Reliability.TaskProbe.Plan(session, "exported"));
        }
        var file = Path.Combine(data.Path, "export.json");
        var (exit, _, error) = await ProcessRun.RunAsync(PublishedBinary.Path, ["export", "--data-dir", data.Path, "--output", file]);
        await Assert.That(exit).IsEqualTo(0).Because(error);
        return file;
    }

    [Test]
    public async Task Import_and_doctor_are_quiet_on_pipes()
    {
        using var data = new TempDirectory();
        using var target = new TempDirectory();
        var file = await ExportAsync(data);
        var import = await ProcessRun.RunAsync(PublishedBinary.Path, ["import", file, "--data-dir", target.Path]);
        await Assert.That(import.Exit).IsEqualTo(0).Because(import.Err);
        await Assert.That(import.Err).IsEmpty();
        await Assert.That(import.Out).DoesNotContain(EraseLine);
        var doctor = await ProcessRun.RunAsync(PublishedBinary.Path, ["doctor", "--data-dir", target.Path]);
        await Assert.That(doctor.Err).DoesNotContain("checking the integrity");
        await Assert.That(doctor.Out).DoesNotContain(EraseLine);
    }

    [Test]
    public async Task Import_and_doctor_show_progress_on_a_terminal()
    {
        using var data = new TempDirectory();
        using var target = new TempDirectory();
        var file = await ExportAsync(data);
        var import = await OnTerminalAsync($"{Quote(PublishedBinary.Path)} import {Quote(file)} --data-dir {Quote(target.Path)}");
        await Assert.That(import.Exit).IsEqualTo(0).Because(import.Output);
        await Assert.That(import.Output).Contains(EraseLine + "reading " + file);
        await Assert.That(import.Output).Contains(EraseLine + "importing in one transaction");
        await Assert.That(import.Output).Contains("imported 1 task(s)");
        var doctor = await OnTerminalAsync($"{Quote(PublishedBinary.Path)} doctor --data-dir {Quote(target.Path)}");
        await Assert.That(doctor.Output).Contains(EraseLine + "checking the integrity of " + Path.Combine(target.Path, "orchestrator.db"));
    }

    private static async Task<(int Exit, string Output)> OnTerminalAsync(string command)
    {
        var (exit, output, error) = await ProcessRun.RunAsync("script", ["-qec", command, "/dev/null"],
            environment: new Dictionary<string, string> { ["TERM"] = "xterm" });
        return (exit, output + error);
    }

    private static string Quote(string word) => "'" + word.Replace("'", "'\\''") + "'";
}
