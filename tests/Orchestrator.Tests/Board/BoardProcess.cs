using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Orchestrator.Tests.EndToEnd;

namespace Orchestrator.Tests.Board;

/// <summary>
/// <c>orchestrator board</c> of the published binary on a loopback port the kernel picks; its URL is read from its own
/// start-up log line (stderr), so a test waits for a real signal. Stopped with SIGTERM at dispose.
/// </summary>
internal sealed partial class BoardProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private BoardProcess(Process process)
    {
        _process = process;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_stderr) _stderr.AppendLine(e.Data);
            if (ServingLine().Match(e.Data) is { Success: true } match) _listening.TrySetResult(new Uri(match.Groups[1].Value));
        };
        process.Exited += (_, _) => _listening.TrySetException(new InvalidOperationException($"board exited ({process.ExitCode}): {Stderr}"));
        process.EnableRaisingEvents = true;
        process.BeginErrorReadLine();
    }

    [GeneratedRegex(@"Serving the board of .* at (http://\S+/board)")]
    private static partial Regex ServingLine();

    /// <summary>The board's page, e.g. http://127.0.0.1:41234/board.</summary>
    public Uri Url { get; private set; } = null!;
    public bool HasExited => _process.HasExited;
    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }

    public static async Task<BoardProcess> StartAsync(string dataDirectory, params string[] extraArgs)
    {
        var info = McpStdioClient.ServerStartInfo(PublishedBinary.Path,
            new[] { "board", "--listen", "127.0.0.1:0", "--data-dir", dataDirectory }.Concat(extraArgs), null);
        var board = new BoardProcess(Process.Start(info) ?? throw new InvalidOperationException("cannot start the board"));
        board.Url = await board._listening.Task.WaitAsync(McpStdioClient.AnswerTimeout);
        return board;
    }

    /// <summary>SIGTERM, then its exit status.</summary>
    public async Task<int> StopAsync()
    {
        if (!_process.HasExited) ProcessSignals.Send(_process.Id, ProcessSignals.SIGTERM);
        await _process.WaitForExitAsync().WaitAsync(McpStdioClient.AnswerTimeout);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (TimeoutException)
        {
            _process.Kill();
        }
        _process.Dispose();
    }
}
