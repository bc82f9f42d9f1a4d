using Orchestrator.Reboot;

namespace Orchestrator.TestHooks;

/// <summary>
/// <c>pause-at-phase:NAME</c>: the first time this image reaches phase NAME (a restart phase, or <c>resuming</c>: the new
/// image, snapshot read, restart call not yet answered), it announces it on stderr, written directly rather than through
/// the asynchronous logger so the line is out before the block, and blocks there. A test can then kill -9 the process
/// at a known point, or change the files on disk (damage the snapshot, remove the binary) and let the restart go on:
/// with <c>ORCHESTRATOR_TEST_RESUME_FIFO</c> naming a FIFO, the restart resumes once the test has opened that FIFO for
/// writing and closed it; without one it blocks until the process is killed.
/// </summary>
internal sealed class PhasePause(IRestartObserver inner, IEnumerable<string> phases, string? resumeFifo) : IRestartObserver
{
    /// <summary>The line a paused image writes to stderr, followed by the phase name: what a test waits for.</summary>
    public const string Announcement = "orchestrator-test-hook: paused at ";

    private readonly HashSet<string> _pending = new(phases, StringComparer.Ordinal);

    public void Entered(string phase)
    {
        inner.Entered(phase);
        lock (_pending)
            if (!_pending.Remove(phase)) return;
        TestHookBlock.AnnounceAndWait(Announcement + phase, resumeFifo);
    }
}
