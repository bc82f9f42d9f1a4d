using System.Collections.Concurrent;
using ModelContextProtocol.Protocol;

namespace Orchestrator.Transport;

/// <summary>
/// The client requests handed to the MCP server and not yet answered. A graceful restart waits on it; a
/// non-graceful one answers what is left itself and suppresses the late answers, so each request is answered once.
/// It also knows, for a call the fast path runs, whether its handler has started: one taken over before that never
/// runs, and the client can be told so (safe to retry).
/// </summary>
internal sealed class RequestTracker
{
    private readonly ConcurrentDictionary<RequestId, InFlight> _inFlight = new();
    private readonly ConcurrentDictionary<RequestId, byte> _answeredElsewhere = new();
    private readonly Lock _answering = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _count;

    /// <summary>Requests begun and not yet answered (kept beside the dictionary: its own count takes every lock).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Called after a request left the tracker (answered or taken over), outside every lock of the tracker.</summary>
    public Action? Released { get; set; }

    /// <param name="reportsStart">Whoever runs the request calls <see cref="TryStart"/> before its handler (the fast path does).</param>
    public void Begin(RequestId id, string method, bool reportsStart = false)
    {
        var request = new InFlight(method, reportsStart);
        // A client that reuses the id of a request still in flight replaces it: one entry, one count.
        if (_inFlight.TryAdd(id, request)) Interlocked.Increment(ref _count);
        else _inFlight[id] = request;
    }

    /// <summary>
    /// The request's handler is about to run: false when a non-graceful restart has already answered it as not started,
    /// in which case the handler must not run at all.
    /// </summary>
    public bool TryStart(RequestId id)
    {
        lock (_answering)
        {
            if (_answeredElsewhere.ContainsKey(id)) return false;
            if (_inFlight.TryGetValue(id, out var request)) request.Started = true;
            return true;
        }
    }

    /// <summary>Marks <paramref name="id"/> answered; false when its answer was already given elsewhere and must be dropped.</summary>
    public bool Complete(RequestId id) => Finish(id, static () => { });

    /// <summary>
    /// Answers <paramref name="id"/> with <paramref name="writeAnswer"/> and only then marks it answered; false (nothing
    /// written) when its answer was already given elsewhere. The order matters: a graceful restart proceeds to exec
    /// as soon as nothing is in flight, and an answer written after that would be lost with the old image.
    /// </summary>
    /// <remarks>
    /// An answer that cannot be written (stdout gone: the write throws) still takes the request out: otherwise it
    /// would count against the answers owed for good, and a reader waiting for room would never see the input end.
    /// </remarks>
    public bool Finish(RequestId id, Action writeAnswer)
    {
        var removed = false;
        try
        {
            lock (_answering)
            {
                if (_answeredElsewhere.TryRemove(id, out _)) return false;
                try
                {
                    writeAnswer();
                }
                finally
                {
                    removed = _inFlight.TryRemove(id, out _);
                    if (removed) Interlocked.Decrement(ref _count);
                }
            }
        }
        finally
        {
            if (removed) Signal();
        }
        return true;
    }

    private void Signal()
    {
        Interlocked.Exchange(ref _changed, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        Released?.Invoke();
    }

    /// <summary>
    /// Takes over every in-flight request except <paramref name="except"/>: the caller answers them, the server's late
    /// answers are dropped, and a handler that has not started never will. Says of each whether its handler had started
    /// (or may have: requests the SDK serves are not followed that far).
    /// </summary>
    public IReadOnlyList<TakenOver> TakeOverAllExcept(RequestId except)
    {
        var taken = new List<TakenOver>();
        lock (_answering) // not while an answer is being written: that request is answered already
            foreach (var (id, request) in _inFlight)
            {
                if (id == except || !_inFlight.TryRemove(id, out _)) continue;
                Interlocked.Decrement(ref _count);
                _answeredElsewhere[id] = 0;
                taken.Add(new TakenOver(id, request.Started || !request.ReportsStart));
            }
        if (taken.Count > 0) Signal();
        return taken;
    }

    /// <summary>Completes when nothing but <paramref name="except"/> is in flight.</summary>
    public async Task WaitUntilOnlyAsync(RequestId except, CancellationToken cancellationToken)
    {
        while (true)
        {
            var changed = Volatile.Read(ref _changed).Task;
            if (_inFlight.Keys.All(id => id == except)) return;
            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One request in flight; <see cref="Started"/> is written and read under the answering lock.</summary>
    private sealed class InFlight(string method, bool reportsStart)
    {
        public string Method { get; } = method;
        public bool ReportsStart { get; } = reportsStart;
        public bool Started { get; set; }
    }
}

/// <summary>A request a non-graceful restart answered itself: <paramref name="MayHaveRun"/> false means its handler never ran.</summary>
internal readonly record struct TakenOver(RequestId Id, bool MayHaveRun);
