namespace Orchestrator.Hosting;

/// <summary>
/// Fault injection for the test suite, read from <c>ORCHESTRATOR_TEST_HOOKS</c> (comma-separated): never set in
/// production. <c>corrupt-snapshot</c> flips a payload byte and <c>truncate-snapshot</c> cuts the file after it is
/// encoded; <c>fail-exec</c> makes execv report failure; <c>slow-tool</c> registers <c>orchestrator_test_sleep</c>;
/// <c>pause-at-phase:NAME</c> (repeatable) stops a restart when it enters phase NAME (a restart phase, or
/// <c>resuming</c>: the new image, snapshot read, restart call not yet answered), see <see cref="PauseAt"/>.
/// </summary>
internal sealed class TestHooks
{
    /// <summary>The line a paused image writes to stderr, followed by the phase name: what a test waits for.</summary>
    public const string PausedAnnouncement = "orchestrator-test-hook: paused at ";

    private const string PausePrefix = "pause-at-phase:";

    private readonly HashSet<string> _enabled;
    private readonly HashSet<string> _pauseAt;
    private readonly string? _resumeFifo;

    private TestHooks(IEnumerable<string> enabled, string? resumeFifo)
    {
        _enabled = new HashSet<string>(enabled, StringComparer.Ordinal);
        _pauseAt = _enabled.Where(h => h.StartsWith(PausePrefix, StringComparison.Ordinal))
            .Select(h => h[PausePrefix.Length..]).ToHashSet(StringComparer.Ordinal);
        _resumeFifo = resumeFifo;
    }

    public static TestHooks FromEnvironment() =>
        new((Environment.GetEnvironmentVariable("ORCHESTRATOR_TEST_HOOKS") ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            Environment.GetEnvironmentVariable("ORCHESTRATOR_TEST_RESUME_FIFO") is { Length: > 0 } fifo ? fifo : null);

    public bool FailExec => _enabled.Contains("fail-exec");
    public bool SlowTool => _enabled.Contains("slow-tool");

    /// <summary>The encoded snapshot as the hooks leave it: unchanged unless a damage hook is enabled.</summary>
    public byte[] DamageSnapshot(byte[] encoded)
    {
        if (_enabled.Contains("corrupt-snapshot")) encoded[^1] ^= 0x5A;
        if (_enabled.Contains("truncate-snapshot")) encoded = encoded[..(encoded.Length / 2)];
        return encoded;
    }

    /// <summary>
    /// With <c>pause-at-phase:<paramref name="phase"/></c>, the first time this image reaches the phase: announce it on
    /// stderr (written directly, not through the asynchronous logger, so the line is out before the block) and block
    /// the restart there. A test can then kill -9 the process at a known point, or change the files on disk (damage
    /// the snapshot, remove the binary) and let the restart go on: with <c>ORCHESTRATOR_TEST_RESUME_FIFO</c> naming a
    /// FIFO, the restart resumes once the test has opened that FIFO for writing and closed it; without one it blocks
    /// until the process is killed.
    /// </summary>
    public void PauseAt(string phase)
    {
        lock (_pauseAt)
            if (!_pauseAt.Remove(phase)) return;
        Console.Error.WriteLine($"{PausedAnnouncement}{phase} (pid {Environment.ProcessId})");
        Console.Error.Flush();
        if (_resumeFifo is null)
            Thread.Sleep(Timeout.Infinite);
        else
            File.ReadAllBytes(_resumeFifo); // opening blocks until a writer opens; reading ends when it closes
    }
}
