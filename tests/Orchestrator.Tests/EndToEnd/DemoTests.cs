using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Orchestrator.Tests.Reliability;
using Orchestrator.Tests.Unit;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>
/// <c>orchestrator demo</c>, the README's first command, run as a user runs it: the published binary starts itself as
/// a server, drives it as a client over real pipes or a real socket, and narrates. What it claims (same PID, session
/// kept, subtask resumed, task completed) is checked against its JSON steps and, independently, against the store it
/// leaves behind with <c>--keep</c>.
/// </summary>
public class DemoTests
{
    private static readonly string[] StepNames =
        ["server", "session", "plan", "execute", "restart", "survived", "complete", "work", "work", "synthesize", "stop"];

    [Test]
    [Arguments(false)]
    [Arguments(true)]
    public async Task The_demo_restarts_its_server_in_place_mid_task_and_leaves_a_completed_task(bool http)
    {
        using var scratch = new TempDirectory();
        var kept = Path.Combine(scratch.Path, "kept");
        string[] args = http ? ["demo", "--json", "--http", "--keep", kept] : ["demo", "--json", "--keep", kept];
        var (exit, output, error) = await ProcessRun.RunAsync(PublishedBinary.Path, args);

        await Assert.That(exit).IsEqualTo(0).Because(error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!.AsObject()).ToList();
        var steps = lines.Where(l => l.ContainsKey("step")).ToList();
        await Assert.That(steps.Select(s => (string)s["name"]!)).IsEquivalentTo(StepNames, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(steps.Select(s => (int)s["step"]!)).IsEquivalentTo(Enumerable.Range(1, StepNames.Length), TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(steps.All(s => (bool)s["ok"]!)).IsTrue();

        var server = steps[0];
        await Assert.That((string)server["transport"]!).IsEqualTo(http ? "http" : "stdio");
        await Assert.That((string)server["data_dir"]!).IsEqualTo(kept);
        var pid = (int)server["pid"]!;
        var restart = steps[4];
        await Assert.That((int)restart["pid_before"]!).IsEqualTo(pid);
        await Assert.That((int)restart["pid_after"]!).IsEqualTo(pid);
        await Assert.That((string)restart["phase"]!).IsEqualTo("complete");
        await Assert.That((double)restart["duration_ms"]!).IsGreaterThan(0);
        var survived = steps[5];
        await Assert.That((int)survived["restarts_survived"]!).IsEqualTo(1);
        await Assert.That((string)survived["subtask_status"]!).IsEqualTo("in_progress");
        await Assert.That((string)steps[9]["text"]!).StartsWith("3 results");
        await Assert.That((int)steps[10]["exit_status"]!).IsEqualTo(0);

        var summary = lines[^1];
        await Assert.That((bool)summary["ok"]!).IsTrue();
        await Assert.That((string)summary["connect"]!).Contains("config claude-code");
        await Assert.That((string)summary["kept"]!).IsEqualTo(kept);

        // The server is gone, and the store it left says what the demo said: one restart, in place, session carried;
        // one task, its three subtasks completed.
        await Assert.That(Directory.Exists($"/proc/{pid}")).IsFalse();
        await Assert.That(StoreDump.IntegrityCheck(kept)).IsEqualTo("ok");
        var history = Query(kept, "SELECT success, pid, session_restored FROM restart_history");
        await Assert.That(history.Count).IsEqualTo(1);
        await Assert.That(Convert.ToInt64(history[0][0])).IsEqualTo(1);
        await Assert.That(Convert.ToInt64(history[0][1])).IsEqualTo(pid);
        // History marks the stdio session restored; HTTP sessions travel in the snapshot's own list, which that column
        // does not count (the session test of step "survived" covers them).
        if (!http) await Assert.That(Convert.ToInt64(history[0][2])).IsEqualTo(1);
        var tasks = Query(kept, "SELECT status FROM tasks");
        await Assert.That(tasks.Select(t => (string)t[0]!)).IsEquivalentTo(["completed"]);
        var subtasks = Query(kept, "SELECT status FROM subtasks");
        await Assert.That(subtasks.Select(t => (string)t[0]!)).IsEquivalentTo(["completed", "completed", "completed"]);
    }

    [Test]
    public async Task Without_keep_the_demo_narrates_in_numbered_lines_without_colour_and_removes_its_directory()
    {
        using var temp = new TempDirectory();
        var (exit, output, error) = await ProcessRun.RunAsync(PublishedBinary.Path, ["demo"], environment: new Dictionary<string, string> { ["TMPDIR"] = temp.Path });

        await Assert.That(exit).IsEqualTo(0).Because(error);
        var numbered = output.Split('\n').Where(l => l.Length > 3 && char.IsDigit(l[1]) && l[2] == '.').ToList();
        await Assert.That(numbered.Select(l => l[..2].Trim())).IsEquivalentTo(Enumerable.Range(1, StepNames.Length).Select(n => n.ToString()),
            TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(numbered[4]).Contains("restart").And.Contains("PID");
        await Assert.That(output).Contains("Shown:").And.Contains("Connect a real client:").And.Contains("config claude-code");
        await Assert.That(output.Contains('\e')).IsFalse().Because("stdout is a pipe, not a terminal: no escape codes");
        await Assert.That(Directory.EnumerateFileSystemEntries(temp.Path)).IsEmpty().Because("the temporary data directory is removed");
    }

    [Test]
    public async Task On_a_terminal_the_demo_is_coloured_unless_NO_COLOR_is_set()
    {
        var coloured = await OnTerminalAsync(noColour: false);
        await Assert.That(coloured.Exit).IsEqualTo(0).Because(coloured.Output);
        await Assert.That(coloured.Output).Contains("\e[");
        var plain = await OnTerminalAsync(noColour: true);
        await Assert.That(plain.Exit).IsEqualTo(0).Because(plain.Output);
        await Assert.That(plain.Output).Contains("Shown:");
        // Only the terminal's own mode switches remain (script(1) may emit them), never a colour (SGR, ESC [ ... m).
        await Assert.That(System.Text.RegularExpressions.Regex.IsMatch(plain.Output, @"\e\[[0-9;]*m")).IsFalse();
    }

    [Test]
    public async Task A_keep_path_that_is_a_file_fails_the_first_step_and_is_left_alone()
    {
        using var scratch = new TempDirectory();
        var file = Path.Combine(scratch.Path, "not-a-directory");
        await File.WriteAllTextAsync(file, "mine");
        var (exit, output, error) = await ProcessRun.RunAsync(PublishedBinary.Path, ["demo", "--keep", file]);

        await Assert.That(exit).IsEqualTo(1);
        await Assert.That(output).Contains(" 1. server").And.Contains("FAILED");
        await Assert.That(error).Contains("step 1 (server) failed").And.Contains("is a file, not a directory");
        await Assert.That(await File.ReadAllTextAsync(file)).IsEqualTo("mine");
    }

    /// <summary>
    /// The server itself fails: its store cannot open (orchestrator.db is a directory) or its snapshot cannot be written
    /// (snapshots is a file). The demo stops at the step the server refused, names it with the server's error code, and
    /// exits 1 with its server gone.
    /// </summary>
    [Test]
    [Arguments("orchestrator.db", true, false, 2, "session", "INITIALIZATION_FAILED")]
    [Arguments("snapshots", false, false, 5, "restart", "SYSTEM_NOT_READY")]
    [Arguments("snapshots", false, true, 5, "restart", "SYSTEM_NOT_READY")]
    public async Task A_failing_server_stops_the_demo_at_the_step_it_refused(string entry, bool asDirectory, bool http, int step, string name, string code)
    {
        using var scratch = new TempDirectory();
        var blocker = Path.Combine(scratch.Path, entry);
        if (asDirectory) Directory.CreateDirectory(blocker);
        else await File.WriteAllTextAsync(blocker, "in the way");
        string[] args = http ? ["demo", "--json", "--http", "--keep", scratch.Path] : ["demo", "--json", "--keep", scratch.Path];
        var (exit, output, error) = await ProcessRun.RunAsync(PublishedBinary.Path, args);

        await Assert.That(exit).IsEqualTo(1);
        var steps = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!.AsObject()).ToList();
        await Assert.That(steps.Count).IsEqualTo(step);
        var failed = steps[^1];
        await Assert.That((int)failed["step"]!).IsEqualTo(step);
        await Assert.That((string)failed["name"]!).IsEqualTo(name);
        await Assert.That((bool)failed["ok"]!).IsFalse();
        await Assert.That((string)failed["error"]!).Contains(code);
        await Assert.That(error).Contains($"step {step} ({name}) failed");
        await Assert.That(Directory.Exists($"/proc/{(int)steps[0]["pid"]!}")).IsFalse().Because("the demo stops its server");
    }

    /// <summary>
    /// Interrupted mid-restart (the server held at a phase by the test hook, so the step cannot finish first), the demo
    /// names the step, kills its server, removes its temporary directory and exits 130.
    /// </summary>
    [Test]
    public async Task An_interrupted_demo_names_the_step_kills_its_server_and_removes_its_directory()
    {
        using var temp = new TempDirectory();
        var info = new ProcessStartInfo(PublishedBinary.Path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "demo", "--json", "--http" }) info.ArgumentList.Add(arg);
        info.Environment["TMPDIR"] = temp.Path;
        info.Environment["ORCHESTRATOR_TEST_HOOKS"] = PausedRestart.HooksFor("maintenance_mode");
        using var demo = Process.Start(info)!;
        var error = demo.StandardError.ReadToEndAsync();
        var steps = new List<JsonObject>();
        while (await demo.StandardOutput.ReadLineAsync().WaitAsync(McpStdioClient.AnswerTimeout) is { } line)
        {
            steps.Add(JsonNode.Parse(line)!.AsObject());
            if ((string?)steps[^1]["name"] == "execute") break;
        }
        if (steps.Count != 4) Assert.Fail($"the demo ended before its restart step: {await ReadRestAsync(demo, error)}");
        await Assert.That(kill(demo.Id, SIGINT)).IsEqualTo(0);

        var rest = await demo.StandardOutput.ReadToEndAsync().WaitAsync(McpStdioClient.AnswerTimeout);
        await demo.WaitForExitAsync().WaitAsync(McpStdioClient.AnswerTimeout);
        await Assert.That(demo.ExitCode).IsEqualTo(130);
        var failed = JsonNode.Parse(rest.Trim())!.AsObject();
        await Assert.That((int)failed["step"]!).IsEqualTo(5);
        await Assert.That((string)failed["name"]!).IsEqualTo("restart");
        await Assert.That((string)failed["error"]!).IsEqualTo("interrupted");
        await Assert.That(await error).Contains("step 5 (restart) failed: interrupted");
        await Assert.That(Directory.Exists($"/proc/{(int)steps[0]["pid"]!}")).IsFalse().Because("the demo kills its server");
        await Assert.That(Directory.EnumerateFileSystemEntries(temp.Path)).IsEmpty().Because("the temporary data directory is removed");
    }

    [Test]
    public async Task Bad_demo_flags_exit_2_with_the_usage_and_help_lists_the_demo()
    {
        var bad = await ProcessRun.RunAsync(PublishedBinary.Path, ["demo", "--data-dir", "/tmp"]);
        await Assert.That(bad.Exit).IsEqualTo(2);
        await Assert.That(bad.Err).Contains("unexpected '--data-dir'").And.Contains("Usage: orchestrator demo");
        await Assert.That(bad.Out).IsEmpty();
        var keepWithoutDirectory = await ProcessRun.RunAsync(PublishedBinary.Path, ["demo", "--keep"]);
        await Assert.That(keepWithoutDirectory.Exit).IsEqualTo(2);
        await Assert.That(keepWithoutDirectory.Err).Contains("--keep needs a directory");
        var demoHelp = await ProcessRun.RunAsync(PublishedBinary.Path, ["demo", "--help"]);
        await Assert.That(demoHelp.Exit).IsEqualTo(0);
        await Assert.That(demoHelp.Out).Contains("--keep DIR");
        var help = await ProcessRun.RunAsync(PublishedBinary.Path, ["--help"]);
        await Assert.That(help.Out).Contains("orchestrator demo [--http] [--keep DIR] [--json]");
    }

    /// <summary>The demo on a pseudo-terminal (script(1), util-linux), as a person at a terminal runs it.</summary>
    private static async Task<(int Exit, string Output)> OnTerminalAsync(bool noColour)
    {
        using var temp = new TempDirectory();
        var environment = new Dictionary<string, string> { ["TMPDIR"] = temp.Path, ["TERM"] = "xterm" };
        if (noColour) environment["NO_COLOR"] = "1";
        var command = $"{ConfigQuote(PublishedBinary.Path)} demo";
        var (exit, output, error) = await ProcessRun.RunAsync("script", ["-qec", command, "/dev/null"], environment: environment);
        return (exit, output + error);
    }

    private static string ConfigQuote(string word) => "'" + word.Replace("'", "'\\''") + "'";

    private static async Task<string> ReadRestAsync(Process process, Task<string> error)
    {
        if (!process.HasExited) process.Kill();
        return await process.StandardOutput.ReadToEndAsync() + await error;
    }

    private static List<object?[]> Query(string dataDirectory, string sql)
    {
        JitSqlite.Ensure();
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, "orchestrator.db"),
            Mode = SqliteOpenMode.ReadOnly,
        }.ToString());
        connection.Open();
        return StoreDump.Query(connection, sql);
    }

    private const int SIGINT = 2;

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
