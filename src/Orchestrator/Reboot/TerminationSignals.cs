using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Orchestrator.Native;

namespace Orchestrator.Reboot;

/// <summary>
/// SIGTERM and SIGINT, never lost and never fatal, whenever they arrive: before a restart, during it, across its exec.
/// <para>
/// Both are blocked in every thread of the process, so that the kernel keeps them pending instead of running a handler
/// (or the default action, which would kill the process without a checkpoint) on some thread. One thread takes them
/// synchronously through a signalfd (<see cref="StartWatching"/>). A restart's exec goes through
/// <see cref="TryCommitExec"/>: under the same lock, it is refused when a signal was received or is pending; once it is
/// committed the watcher stops taking signals, so that one arriving now stays pending and crosses the exec (the pending
/// set and the exec'ing thread's mask survive execve). The new image, whose threads all inherit the block, takes it
/// when its own watcher starts. A server that ends for good (<see cref="BeginShutdown"/>) first waits for a committed
/// exec, which replaces the process, so the two never overlap.
/// </para>
/// The block must hold in every thread: a thread created later inherits its creator's mask, the exec'd image its
/// exec'ing thread's (<see cref="ProcessImage.Exec"/> keeps these two blocked), and at a cold start the one thread the
/// runtime starts before <c>Main</c>, the finalizer's, is made to block them too (<see cref="BlockInEveryThread"/>).
/// </summary>
internal sealed unsafe class TerminationSignals
{
    public const int SIGINT = 2;
    public const int SIGTERM = 15;
    private const int SigsetWords = 16; // glibc's sigset_t: 1024 bits
    private const int SFD_NONBLOCK = 0x800;
    private const int SFD_CLOEXEC = 0x80000;
    private const int SignalInfoSize = 128; // struct signalfd_siginfo

    private readonly object _gate = new();
    private readonly TaskCompletionSource<int> _requested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _hurried = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _requestedToken = new();
    private int _received;
    private int _first;
    private bool _execCommitted;
    private bool _shuttingDown;

    /// <summary>Completes with the first termination signal's number once it is taken.</summary>
    public Task<int> Requested => _requested.Task;

    /// <summary>Cancelled when a termination signal is taken: what a restart's waits are linked to.</summary>
    public CancellationToken Terminating => _requestedToken.Token;

    /// <summary>Completes when a second termination signal is taken: stop waiting for calls in flight.</summary>
    public Task Hurried => _hurried.Task;

    /// <summary>The first termination signal taken, else one pending and not yet taken, else null: why the server is ending.</summary>
    public int? Signal
    {
        get
        {
            lock (_gate) return _first != 0 ? _first : PendingSignal();
        }
    }

    /// <summary>The name of a termination signal, for the log and the restart's answer.</summary>
    public static string Name(int signal) => signal switch { SIGINT => "SIGINT", SIGTERM => "SIGTERM", _ => $"signal {signal}" };

    /// <summary>
    /// Blocks SIGTERM and SIGINT in the calling thread and, at a cold start, in the finalizer thread: the first thing a
    /// server image does, before it starts any thread. In an image started by a restart every thread already blocks them.
    /// </summary>
    public static void BlockInEveryThread()
    {
        var handled = stackalloc ulong[SigsetWords];
        Fill(handled);
        var before = stackalloc ulong[SigsetWords];
        Libc.sigprocmask(Libc.SIG_BLOCK, handled, before);
        if (Contains(before, SIGTERM) && Contains(before, SIGINT)) return;
        BlockOnFinalizerThread();
    }

    /// <summary>The mask <see cref="ProcessImage.Exec"/> gives the new image: exactly these two blocked.</summary>
    public static void FillExecMask(ulong* mask) => Fill(mask);

    /// <summary>Starts the thread that takes the signals. Until it runs they stay pending, so it can start late (off the restart's path).</summary>
    public void StartWatching() => new Thread(Watch) { IsBackground = true, Name = "termination-signals" }.Start();

    /// <summary>
    /// Called right before the exec, on the exec'ing thread: true when no termination signal was received or is pending
    /// and the server is not ending. From then on a signal stays pending for the next image; <see cref="ExecFailed"/>
    /// hands it back to this one.
    /// </summary>
    public bool TryCommitExec()
    {
        lock (_gate)
        {
            if (_received > 0 || _shuttingDown || PendingSignal() is not null) return false;
            _execCommitted = true;
            return true;
        }
    }

    /// <summary>The exec returned (it failed): this image goes on, and takes the signals again.</summary>
    public void ExecFailed()
    {
        lock (_gate)
        {
            _execCommitted = false;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>The server ends for good (end of input, or a signal): no restart may exec from now on. Waits out a committed exec.</summary>
    public void BeginShutdown()
    {
        lock (_gate)
        {
            while (_execCommitted) Monitor.Wait(_gate);
            _shuttingDown = true;
        }
    }

    private void Watch()
    {
        var handled = stackalloc ulong[SigsetWords];
        Fill(handled);
        var fd = Libc.signalfd(-1, handled, SFD_NONBLOCK | SFD_CLOEXEC);
        if (fd < 0)
        {
            GiveUp(handled);
            return;
        }
        var info = stackalloc byte[SignalInfoSize];
        while (true)
        {
            var poll = new Libc.PollFd { Fd = fd, Events = Libc.POLLIN };
            if (Libc.poll(&poll, 1, -1) < 0)
            {
                if (Marshal.GetLastPInvokeError() == Libc.EINTR) continue;
                GiveUp(handled);
                return;
            }
            int signal;
            lock (_gate)
            {
                // An exec is committed: leave the signal pending, for the next image (or for this one if the exec fails).
                while (_execCommitted) Monitor.Wait(_gate);
                if (Libc.read(fd, info, SignalInfoSize) != SignalInfoSize) continue; // EAGAIN: taken already
                signal = (int)*(uint*)info; // ssi_signo
                if (_received++ == 0) _first = signal;
            }
            if (_requested.TrySetResult(signal)) _ = _requestedToken.CancelAsync(); // its callbacks run elsewhere: this thread keeps watching
            else _hurried.TrySetResult();
        }
    }

    /// <summary>
    /// The signals cannot be watched (no signalfd, say, under a strict seccomp policy): this thread stops blocking them and
    /// stays, so that one is delivered here with its default action. The server then ends without its checkpoint, but a
    /// termination signal is never ignored.
    /// </summary>
    private static void GiveUp(ulong* handled)
    {
        Console.Error.WriteLine($"orchestrator: cannot watch termination signals (errno {Marshal.GetLastPInvokeError()}); SIGTERM and SIGINT will end the server at once");
        Libc.sigprocmask(Libc.SIG_UNBLOCK, handled, null);
        Thread.Sleep(Timeout.Infinite);
    }

    /// <summary>A termination signal that arrived and is not taken yet (SIGTERM first), or null.</summary>
    private static int? PendingSignal()
    {
        var pending = stackalloc ulong[SigsetWords];
        if (Libc.sigpending(pending) != 0) return null;
        return Contains(pending, SIGTERM) ? SIGTERM : Contains(pending, SIGINT) ? SIGINT : null;
    }

    private static void Fill(ulong* set)
    {
        for (var i = 0; i < SigsetWords; i++) set[i] = 0;
        set[0] = Bit(SIGINT) | Bit(SIGTERM);
    }

    private static bool Contains(ulong* set, int signal) => (set[0] & Bit(signal)) != 0;

    private static ulong Bit(int signal) => 1UL << (signal - 1);

    /// <summary>
    /// The finalizer thread is started by the runtime before <c>Main</c>, with the mask the process was started with. It
    /// is made to block the signals the only way code runs there: a finalizer, run by a collection and waited for.
    /// </summary>
    private static void BlockOnFinalizerThread()
    {
        AbandonBlocker();
        GC.Collect();
        GC.WaitForPendingFinalizers();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AbandonBlocker() => _ = new FinalizerThreadBlocker();

    private sealed class FinalizerThreadBlocker
    {
        ~FinalizerThreadBlocker()
        {
            var handled = stackalloc ulong[SigsetWords];
            Fill(handled);
            Libc.sigprocmask(Libc.SIG_BLOCK, handled, null);
        }
    }
}
