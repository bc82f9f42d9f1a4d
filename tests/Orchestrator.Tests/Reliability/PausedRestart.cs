using System.Runtime.InteropServices;
using Orchestrator.TestHooks;
using Orchestrator.Tests.EndToEnd;

namespace Orchestrator.Tests.Reliability;

/// <summary>
/// Drives the <c>pause-at-phase</c> test hook: the server announces on stderr that a restart reached a phase and
/// blocks there; the test then acts on a process in a known state (kill -9 it, damage its snapshot, remove its
/// binary) and, through a FIFO the server waits on, lets the restart go on. No sleeps: both sides wait on a signal.
/// </summary>
internal sealed class PausedRestart : IDisposable
{
    private readonly TempDirectory _directory = new();

    public PausedRestart() => FifoPath = Path.Combine(_directory.Path, "resume");

    /// <summary>The FIFO the paused server opens for reading: it resumes when the test opens it for writing and closes it.</summary>
    public string FifoPath { get; }

    /// <summary>The environment that arms pauses at <paramref name="phases"/>, resumable through the FIFO.</summary>
    public Dictionary<string, string> Environment(params string[] phases)
    {
        if (!File.Exists(FifoPath) && mkfifo(FifoPath, 0x180) != 0)
            throw new InvalidOperationException($"mkfifo {FifoPath} failed: errno {Marshal.GetLastPInvokeError()}");
        return new Dictionary<string, string>
        {
            ["ORCHESTRATOR_TEST_HOOKS"] = HooksFor(phases),
            ["ORCHESTRATOR_TEST_RESUME_FIFO"] = FifoPath,
        };
    }

    /// <summary>The hook list that pauses at <paramref name="phases"/> and, without a FIFO, stays paused until killed.</summary>
    public static string HooksFor(params string[] phases) => string.Join(",", phases.Select(p => "pause-at-phase:" + p));

    /// <summary>Waits for the server's announcement that it is paused at <paramref name="phase"/>.</summary>
    public static Task<string> WaitUntilPausedAsync(McpStdioClient client, string phase) =>
        client.WaitForStderrAsync(PhasePause.Announcement + phase);

    /// <summary>Waits for the announcement of a server over HTTP that it is paused at <paramref name="phase"/>.</summary>
    public static Task<string> WaitUntilPausedAsync(Orchestrator.Tests.Http.HttpServerProcess server, string phase) =>
        server.WaitForStderrAsync(PhasePause.Announcement + phase);

    /// <summary>Lets the paused server go on: opening the FIFO for writing releases its blocked open, closing it ends its read.</summary>
    public Task ResumeAsync() =>
        Task.Run(() => { using var writer = new FileStream(FifoPath, FileMode.Open, FileAccess.Write); }).WaitAsync(McpStdioClient.AnswerTimeout);

    public void Dispose() => _directory.Dispose();

    [DllImport("libc", SetLastError = true)]
    private static extern int mkfifo([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);
}
