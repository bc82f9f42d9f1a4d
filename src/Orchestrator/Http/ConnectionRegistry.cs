namespace Orchestrator.Http;

/// <summary>
/// The live HTTP connections of this image, and the one place a restart freezes, waits on and hands them over.
/// </summary>
internal sealed class ConnectionRegistry
{
    private readonly object _lock = new();
    private readonly HashSet<HandoverConnection> _connections = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _frozen;

    public int Count { get { lock (_lock) return _connections.Count; } }

    public IReadOnlyList<HandoverConnection> Snapshot() { lock (_lock) return [.. _connections]; }

    public void Add(HandoverConnection connection)
    {
        lock (_lock)
        {
            _connections.Add(connection);
            if (_frozen) connection.Freeze();
        }
        Changed();
    }

    public void Remove(HandoverConnection connection)
    {
        lock (_lock) _connections.Remove(connection);
        Changed();
    }

    /// <summary>Something about a connection changed (bytes, a request began or ended, it closed): re-evaluate waiters.</summary>
    public void Changed() => Interlocked.Exchange(ref _changed, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>From now on every connection stops reading at its next request boundary (new ones start frozen).</summary>
    public void FreezeAll()
    {
        lock (_lock)
        {
            _frozen = true;
            foreach (var connection in _connections) connection.Freeze();
        }
    }

    public void ThawAll()
    {
        lock (_lock)
        {
            _frozen = false;
            foreach (var connection in _connections) connection.Thaw();
        }
    }

    /// <summary>Completes when <paramref name="condition"/> holds for the current connections.</summary>
    public async Task WaitUntilAsync(Func<IReadOnlyList<HandoverConnection>, bool> condition, CancellationToken cancellationToken)
    {
        while (true)
        {
            var changed = Volatile.Read(ref _changed).Task;
            if (condition(Snapshot())) return;
            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
