using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Orchestrator.Tests.EndToEnd;

namespace Orchestrator.Tests.Http;

/// <summary>
/// The published binary serving Streamable HTTP on a loopback port the kernel picks; the URL is read from the
/// server's own start-up log line (stderr), so tests wait for a real signal, not for time to pass.
/// </summary>
internal sealed partial class HttpServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HttpServerProcess(Process process)
    {
        _process = process;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_stderr)
            {
                _stderr.AppendLine(e.Data);
                foreach (var matched in _stderrWaiters.Where(w => e.Data.Contains(w.Text, StringComparison.Ordinal)).ToArray())
                {
                    matched.Waiter.TrySetResult(e.Data);
                    _stderrWaiters.Remove(matched);
                }
            }
            if (ServingLine().Match(e.Data) is { Success: true } match) _listening.TrySetResult(new Uri(match.Groups[1].Value));
        };
        process.Exited += (_, _) => _listening.TrySetException(new InvalidOperationException($"server exited ({process.ExitCode}): {Stderr}"));
        process.EnableRaisingEvents = true;
        process.BeginErrorReadLine();
    }

    [GeneratedRegex(@"Serving MCP over Streamable HTTP at (http://\S+)")]
    private static partial Regex ServingLine();

    private readonly List<(string Text, TaskCompletionSource<string> Waiter)> _stderrWaiters = [];

    /// <summary>Completes with the first stderr line (already written or still to come) containing <paramref name="text"/>.</summary>
    public Task<string> WaitForStderrAsync(string text)
    {
        var waiter = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_stderr)
        {
            var seen = _stderr.ToString().Split('\n').FirstOrDefault(line => line.Contains(text, StringComparison.Ordinal));
            if (seen is not null) return Task.FromResult(seen);
            _stderrWaiters.Add((text, waiter));
        }
        return waiter.Task.WaitAsync(McpStdioClient.AnswerTimeout);
    }

    /// <summary>Waits for the server to end by itself (after a signal, say); its exit status (128+n: killed by signal n).</summary>
    public async Task<int> WaitForExitAsync(TimeSpan? guard = null)
    {
        await _process.WaitForExitAsync().WaitAsync(guard ?? McpStdioClient.AnswerTimeout);
        return _process.ExitCode;
    }

    public Uri Url { get; private set; } = null!;
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;
    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }

    public static Task<HttpServerProcess> StartAsync(string dataDirectory, params string[] extraArgs) =>
        StartCommandAsync(PublishedBinary.Path, new[] { "--http", "127.0.0.1:0", "--data-dir", dataDirectory }.Concat(extraArgs));

    /// <summary>Starts <paramref name="binary"/> (a copy of the published one, say) over HTTP on a loopback port, with <paramref name="environment"/>.</summary>
    public static Task<HttpServerProcess> StartBinaryAsync(string binary, string dataDirectory, IDictionary<string, string>? environment,
        params string[] extraArgs) =>
        StartCommandAsync(binary, new[] { "--http", "127.0.0.1:0", "--data-dir", dataDirectory }.Concat(extraArgs), environment);

    /// <summary>Starts the server through any command (e.g. <c>chroot ROOT /orchestrator</c>); rate limits lifted.</summary>
    public static async Task<HttpServerProcess> StartCommandAsync(string command, IEnumerable<string> arguments, IDictionary<string, string>? environment = null)
    {
        var info = McpStdioClient.ServerStartInfo(command, arguments, environment);
        var server = new HttpServerProcess(Process.Start(info) ?? throw new InvalidOperationException("cannot start the server"));
        var announced = await server._listening.Task.WaitAsync(McpStdioClient.AnswerTimeout);
        // A server bound to every address announces 0.0.0.0; a client reaches it on the loopback.
        server.Url = announced.Host == "0.0.0.0" ? new UriBuilder(announced) { Host = "127.0.0.1" }.Uri : announced;
        return server;
    }

    /// <summary>How many times the server has logged that it serves HTTP: one more per in-place restart.</summary>
    public int ServingAnnouncements => ServingLine().Matches(Stderr).Count;

    /// <summary>
    /// Completes once the server has announced serving <paramref name="count"/> times (each new image announces itself
    /// after it has answered the restart call, so the announcement may trail the answer).
    /// </summary>
    public async Task WaitForServingAsync(int count)
    {
        var deadline = DateTime.UtcNow + McpStdioClient.AnswerTimeout;
        while (ServingAnnouncements < count)
        {
            if (DateTime.UtcNow > deadline || _process.HasExited)
                throw new TimeoutException($"the server announced serving {ServingAnnouncements} time(s), expected {count}: {Stderr}");
            var grown = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            void OnLine(object? sender, DataReceivedEventArgs e) => grown.TrySetResult();
            _process.ErrorDataReceived += OnLine;
            try
            {
                if (ServingAnnouncements >= count) return;
                await grown.Task.WaitAsync(TimeSpan.FromSeconds(1));
            }
            catch (TimeoutException)
            {
                // re-check the deadline and the count
            }
            finally
            {
                _process.ErrorDataReceived -= OnLine;
            }
        }
    }

    /// <summary>SIGTERM, as a service manager stops it: the server shuts down cleanly (logs flushed); its exit status.</summary>
    public async Task<int> TerminateAsync()
    {
        if (kill(_process.Id, 15) != 0) throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed");
        await _process.WaitForExitAsync().WaitAsync(McpStdioClient.AnswerTimeout);
        _process.WaitForExit(); // the stderr reader has reached the end of the stream: every line is in Stderr
        return _process.ExitCode;
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
