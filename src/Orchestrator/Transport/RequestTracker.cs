using System.Collections.Concurrent;
using ModelContextProtocol.Protocol;

namespace Orchestrator.Transport;

/// <summary>
/// The client requests handed to the MCP server and not yet answered. A graceful restart waits on it; a
/// non-graceful one answers what is left itself and suppresses the late answers, so each request is answered once.
/// </summary>
internal sealed class RequestTracker
{
    private readonly ConcurrentDictionary<RequestId, string> _inFlight = new();
    private readonly ConcurrentDictionary<RequestId, byte> _answeredElsewhere = new();
    private readonly Lock _answering = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Count => _inFlight.Count;

    public void Begin(RequestId id, string method) => _inFlight[id] = method;

    /// <summary>Marks <paramref name="id"/> answered; false when its answer was already given elsewhere and must be dropped.</summary>
    public bool Complete(RequestId id) => Finish(id, static () => { });

    /// <summary>
    /// Answers <paramref name="id"/> with <paramref name="writeAnswer"/> and only then marks it answered; false (nothing
    /// written) when its answer was already given elsewhere. The order matters: a graceful restart proceeds to exec
    /// as soon as nothing is in flight, and an answer written after that would be lost with the old image.
    /// </summary>
    public bool Finish(RequestId id, Action writeAnswer)
    {
        bool removed;
        lock (_answering)
        {
            if (_answeredElsewhere.TryRemove(id, out _)) return false;
            writeAnswer();
            removed = _inFlight.TryRemove(id, out _);
        }
        if (removed) Signal();
        return true;
    }

    private void Signal() => Interlocked.Exchange(ref _changed, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Takes over every in-flight request except <paramref name="except"/>: the caller answers them, the server's late answers are dropped.</summary>
    public IReadOnlyList<RequestId> TakeOverAllExcept(RequestId except)
    {
        var taken = new List<RequestId>();
        lock (_answering) // not while an answer is being written: that request is answered already
            foreach (var id in _inFlight.Keys)
            {
                if (id == except || !_inFlight.TryRemove(id, out _)) continue;
                _answeredElsewhere[id] = 0;
                taken.Add(id);
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
}
