using System.Runtime.InteropServices;
using Orchestrator.Reboot;

namespace Orchestrator.Cli;

/// <summary>
/// <c>orchestrator demo [--http] [--keep DIR] [--json]</c>: starts this binary as an MCP server (stdio, or Streamable
/// HTTP on a free loopback port) on a throwaway data directory, acts as its client and narrates one orchestration
/// with an in-place restart in the middle (<see cref="DemoScript"/>), then stops the server and removes the directory.
/// Exits 0 when every step showed what it should, 1 at the first that did not (named), 2 on a bad flag, 130 when
/// interrupted.
/// </summary>
internal static class DemoCommand
{
    /// <summary>How long the server gets to exit once its client goes away.</summary>
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    public static async Task<int> RunAsync(string[] args)
    {
        if (args is ["-h" or "--help"])
        {
            Console.Out.WriteLine(DemoOptions.Usage);
            return 0;
        }
        var (options, error) = DemoOptions.Parse(args);
        if (options is null)
        {
            await Console.Error.WriteLineAsync($"orchestrator demo: {error}\n{DemoOptions.Usage}");
            return 2;
        }
        ClearServerEnvironment();
        var narration = new DemoNarration(Console.Out, options.Json, !options.Json && DemoNarration.ColourWanted(Environment.GetEnvironmentVariable));
        using var interrupt = new CancellationTokenSource();
        void Interrupt(PosixSignalContext context)
        {
            context.Cancel = true; // stop the server and remove the directory first
            interrupt.Cancel();
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
        using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Interrupt);

        var steps = new DemoSteps(narration, interrupt.Token);
        string? dataDirectory = null;
        try
        {
            var binary = ProcessImage.ExecutablePath;
            narration.Title($"this binary as an MCP server over {(options.Http ? "Streamable HTTP" : "stdio")}, driven by a client, "
                + (options.Keep is null ? "on a throwaway data directory" : $"data kept in {options.Keep}"));
            await steps.RunAsync("server", () =>
            {
                dataDirectory = PrepareDataDirectory(options.Keep);
                return StartServerAsync(steps, options, binary, dataDirectory);
            });
            var server = steps.Server!;
            var script = new DemoScript(server, dataDirectory!, steps);
            await script.RunAsync();
            await steps.RunAsync("stop", () => StopAsync(server, options, dataDirectory!));
            dataDirectory = null;
            narration.Summary(Shown(options, script), Connect(options, DisplayPath(binary)), options.Keep);
            return 0;
        }
        catch (DemoStopped stopped)
        {
            await CleanUpAfterFailureAsync(steps.Server, options, dataDirectory);
            return stopped.ExitStatus;
        }
        finally
        {
            steps.Server?.Dispose();
        }
    }

    /// <summary>
    /// The demo's server runs on the demo's settings alone: an ORCHESTRATOR_* variable of the caller's (a port, a token,
    /// a tool selection, a log file) would change what it shows, so none is passed on. The test suite's hooks
    /// (ORCHESTRATOR_TEST_*, never set in production) are, so that the suite can hold a step and interrupt the demo.
    /// </summary>
    private static void ClearServerEnvironment()
    {
        foreach (var name in Environment.GetEnvironmentVariables().Keys.Cast<string>())
            if (name.StartsWith("ORCHESTRATOR_", StringComparison.Ordinal) && !name.StartsWith("ORCHESTRATOR_TEST_", StringComparison.Ordinal))
                Environment.SetEnvironmentVariable(name, null);
    }

    private static string PrepareDataDirectory(string? keep)
    {
        if (keep is null) return Directory.CreateTempSubdirectory("orchestrator-demo-").FullName;
        if (File.Exists(keep)) throw new DemoStepFailed($"--keep {keep} is a file, not a directory");
        Directory.CreateDirectory(keep);
        return keep;
    }

    private static async Task<DemoStepReport> StartServerAsync(DemoSteps steps, DemoOptions options, string binary, string dataDirectory)
    {
        if (options.Http)
        {
            var http = HttpDemoServer.Start(binary, dataDirectory);
            steps.Server = http;
            await http.WaitUntilServingAsync();
        }
        else
        {
            steps.Server = StdioDemoServer.Start(binary, dataDirectory);
        }
        var server = steps.Server;
        var report = new DemoStepReport($"{DisplayPath(binary)} serving {server.Transport}: PID {server.Pid}, data in {dataDirectory}"
                + (options.Keep is null ? " (temporary)" : ""))
            .With("transport", options.Http ? "http" : "stdio").With("pid", server.Pid).With("binary", binary).With("data_dir", dataDirectory);
        if (server is HttpDemoServer { Url: var url }) report.With("url", url.ToString());
        return report;
    }

    private static async Task<DemoStepReport> StopAsync(IDemoServer server, DemoOptions options, string dataDirectory)
    {
        var exit = await server.StopAsync(StopTimeout);
        var how = options.Http ? "on SIGTERM" : "as its client closed stdin";
        if (exit != 0) throw new DemoStepFailed(exit is { } code ? $"the server exited {code} {how}" : $"the server did not exit {how} within {StopTimeout.TotalSeconds:0} s");
        var where = options.Keep is null ? "temporary data directory removed" : $"data kept in {dataDirectory}";
        if (options.Keep is null) Directory.Delete(dataDirectory, recursive: true);
        return new DemoStepReport($"server exited 0 {how}; {where}").With("exit_status", 0).With("data_dir_removed", options.Keep is null);
    }

    /// <summary>After a failed step: the server stopped (killed if it will not stop), its kept log shown, the temporary directory removed.</summary>
    private static async Task CleanUpAfterFailureAsync(IDemoServer? server, DemoOptions options, string? dataDirectory)
    {
        if (server is not null)
        {
            if (server.IsRunning) await server.StopAsync(StopTimeout);
            if (!string.IsNullOrEmpty(server.RecentLog)) await Console.Error.WriteLineAsync($"orchestrator demo: the server's last log lines:\n{server.RecentLog}");
        }
        if (options.Keep is not null)
        {
            if (Directory.Exists(options.Keep)) await Console.Error.WriteLineAsync($"orchestrator demo: data kept in {options.Keep}");
            return;
        }
        if (dataDirectory is null || !Directory.Exists(dataDirectory)) return;
        try
        {
            Directory.Delete(dataDirectory, recursive: true);
            await Console.Error.WriteLineAsync("orchestrator demo: run it again with --keep DIR to keep the data directory for a look");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"orchestrator demo: could not remove {dataDirectory}: {ex.Message}");
        }
    }

    private static string Shown(DemoOptions options, DemoScript script) =>
        $"a task planned and worked over {(options.Http ? "Streamable HTTP" : "stdio")} through an in-place restart (PID {script.Restart.Pid} kept, "
        + $"{script.Restart.Milliseconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)} ms); the client never reconnected nor re-initialized.";

    private static string Connect(DemoOptions options, string binary) => options.Http
        ? $"{binary} --http 8080 serves http://127.0.0.1:8080/mcp (docs/http.md); a stdio client: {binary} config claude-code"
        : $"{binary} config claude-code (or claude-desktop, cursor, vscode, windsurf)";

    /// <summary>The binary as the user would type it: <c>./artifacts/orchestrator</c> under the current directory, else absolute.</summary>
    private static string DisplayPath(string binary)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, binary);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? binary : "./" + relative;
    }
}
