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
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Count => _inFlight.Count;

    public void Begin(RequestId id, string method) => _inFlight[id] = method;

    /// <summary>Marks <paramref name="id"/> answered; false when its answer was already given elsewhere and must be dropped.</summary>
    public bool Complete(RequestId id)
    {
        if (_answeredElsewhere.TryRemove(id, out _)) return false;
        if (_inFlight.TryRemove(id, out _)) Signal();
        return true;
    }

    private void Signal() => Interlocked.Exchange(ref _changed, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Takes over every in-flight request except <paramref name="except"/>: the caller answers them, the server's late answers are dropped.</summary>
    public IReadOnlyList<RequestId> TakeOverAllExcept(RequestId except)
    {
        var taken = new List<RequestId>();
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
