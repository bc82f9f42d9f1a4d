using System.Diagnostics;
using Orchestrator.Benchmarks;
using Orchestrator.Native;

namespace Orchestrator.Cli;

/// <summary>
/// The demo's server over Streamable HTTP: this binary bound to a loopback port the kernel picks (the URL read from its
/// own start-up line), its stdin and stdout kept off the demo's, its stderr kept (the last lines) for a failure report,
/// one MCP session on one keep-alive connection.
/// </summary>
internal sealed class HttpDemoServer : IDemoServer
{
    private const string Announcement = "Serving MCP over Streamable HTTP at ";
    private const int LogLinesKept = 40;

    private readonly Process _process;
    private readonly int _pid;
    private readonly Queue<string> _log = new();
    private readonly TaskCompletionSource<Uri> _url = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private McpHttpSession? _session;

    private HttpDemoServer(Process process)
    {
        _process = process;
        _pid = process.Id;
        _ = Task.Run(ReadStderrAsync);
        // Nothing is expected on stdout over HTTP; whatever comes must not reach the demo's own stdout.
        _ = Task.Run(() => process.StandardOutput.BaseStream.CopyToAsync(Stream.Null));
    }

    /// <summary>Starts the server; <see cref="WaitUntilServingAsync"/> then waits for its URL.</summary>
    public static HttpDemoServer Start(string binary, string dataDirectory)
    {
        var info = new ProcessStartInfo(binary)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--http", "127.0.0.1:0", "--data-dir", dataDirectory }) info.ArgumentList.Add(arg);
        return new HttpDemoServer(Process.Start(info) ?? throw new DemoStepFailed($"cannot start {binary}"));
    }

    /// <summary>Completes once the server announces its URL; throws with its last words when it exits first.</summary>
    public async Task WaitUntilServingAsync() => Url = await _url.Task;

    public Uri Url { get; private set; } = null!;

    public string Transport => $"MCP over Streamable HTTP at {Url}";

    public int Pid => _pid;

    public bool IsRunning => !_process.HasExited;

    /// <summary>The Mcp-Session-Id the server gave at initialize; a restart keeps it.</summary>
    public string? SessionId => _session?.SessionId;

    public string? RecentLog
    {
        get { lock (_log) return string.Join('\n', _log); }
    }

    public async Task InitializeAsync() => _session = await McpHttpSession.OpenAsync(Url, DemoScript.ClientName);

    public async Task<string> CallToolAsync(string tool, string argumentsJson) =>
        ToolAnswer.FromHttpBody(await _session!.CallAsync("tools/call", tool, argumentsJson));

    public async Task<int?> StopAsync(TimeSpan timeout)
    {
        _session?.Dispose();
        if (!_process.HasExited) Libc.kill(_pid, Libc.SIGTERM);
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout);
            return _process.ExitCode;
        }
        catch (TimeoutException)
        {
            Kill();
            return null;
        }
    }

    public void Kill()
    {
        try { _process.Kill(); } catch (InvalidOperationException) { /* already exited */ }
        _process.WaitForExit();
        _session?.Dispose();
    }

    private async Task ReadStderrAsync()
    {
        while (await _process.StandardError.ReadLineAsync() is { } line)
        {
            lock (_log)
            {
                _log.Enqueue(line);
                if (_log.Count > LogLinesKept) _log.Dequeue();
            }
            var at = line.IndexOf(Announcement, StringComparison.Ordinal);
            if (at >= 0) _url.TrySetResult(new Uri(line[(at + Announcement.Length)..].Split(' ')[0]));
        }
        _url.TrySetException(new DemoStepFailed($"the server exited before serving HTTP: {RecentLog}"));
    }

    public void Dispose()
    {
        if (!_process.HasExited) Kill();
        _process.Dispose();
    }
}
