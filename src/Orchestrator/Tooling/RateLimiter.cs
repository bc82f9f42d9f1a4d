namespace Orchestrator.Tooling;

/// <summary>
/// Per-client limits on tool calls over a sliding 60-second window, as each tool declares them
/// (<see cref="McpToolAttribute"/>: the seed's restart 1/min, status 10/min, reconnect tests 5/min; health checks and
/// the task tools unlimited). Its admissions travel in the restart snapshot, so a restart resets nothing.
/// A call can be counted under several keys (<see cref="IToolCaller.RateLimitKeys"/>: its session and who holds it):
/// it is admitted only when none of them is at the limit, and then counted under each.
/// </summary>
internal sealed class RateLimiter
{
    public const int WindowSeconds = 60;

    private readonly bool _enabled;
    private readonly TimeProvider _clock;
    private readonly Dictionary<string, int> _perMinute;
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Client, string Tool), Queue<long>> _admitted = new();
    private int _windowsAfterLastSweep = 64; // windows of clients long gone are dropped when the table has doubled

    /// <param name="tools">The tools whose declared limits apply (<see cref="ToolRules.PerMinute"/>); a tool not among them is unlimited.</param>
    public RateLimiter(bool enabled, TimeProvider clock, IEnumerable<ToolInfo> tools)
    {
        _enabled = enabled;
        _clock = clock;
        _perMinute = tools.Where(t => t.Rules.PerMinute > 0).ToDictionary(t => t.Name, t => t.Rules.PerMinute, StringComparer.Ordinal);
    }

    public bool Enabled => _enabled;

    /// <summary>Admits the call of one key's client or says how many seconds until it would be admitted.</summary>
    public bool TryAdmit(string clientKey, string tool, out int retryAfterSeconds) => TryAdmit([clientKey], tool, out retryAfterSeconds);

    /// <summary>
    /// Admits the call, counting it under every key, or says how many seconds until it would be admitted under all of
    /// them (nothing counted then).
    /// </summary>
    public bool TryAdmit(IReadOnlyList<string> clientKeys, string tool, out int retryAfterSeconds)
    {
        retryAfterSeconds = 0;
        // Most calls are of unlimited tools: nothing to count, no lock taken on the tool-call path.
        if (!Limit(tool, out var limit)) return true;
        lock (_lock)
        {
            foreach (var key in clientKeys) retryAfterSeconds = Math.Max(retryAfterSeconds, RetryAfterLocked(Window(key, tool), limit));
            if (retryAfterSeconds > 0) return false;
            var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
            foreach (var key in clientKeys) Window(key, tool).Enqueue(now);
            if (_admitted.Count > 2 * _windowsAfterLastSweep) SweepLocked();
            return true;
        }
    }

    /// <summary>Seconds until <paramref name="tool"/> would be admitted for <paramref name="clientKey"/>; 0 when it would be now.</summary>
    public int RetryAfter(string clientKey, string tool) => RetryAfter([clientKey], tool);

    /// <summary>Seconds until <paramref name="tool"/> would be admitted under every one of <paramref name="clientKeys"/>; 0 when it would be now.</summary>
    public int RetryAfter(IReadOnlyList<string> clientKeys, string tool)
    {
        if (!Limit(tool, out var limit)) return 0;
        lock (_lock) return clientKeys.Max(key => RetryAfterLocked(Window(key, tool), limit));
    }

    /// <summary>The admissions still inside their window (what a restart carries); windows emptied by time are dropped.</summary>
    public IReadOnlyList<RateLimitEntry> Export()
    {
        lock (_lock)
        {
            SweepLocked();
            return _admitted.SelectMany(kv => kv.Value.Select(ms => new RateLimitEntry(kv.Key.Client, kv.Key.Tool, ms))).ToArray();
        }
    }

    public void Import(IEnumerable<RateLimitEntry> entries)
    {
        lock (_lock)
            foreach (var entry in entries.OrderBy(e => e.AdmittedUnixMs))
                Window(entry.ClientKey, entry.Tool).Enqueue(entry.AdmittedUnixMs);
    }

    /// <summary>The tool's limit, when limits are on and it has one (the table is fixed at construction: read without the lock).</summary>
    private bool Limit(string tool, out int limit)
    {
        limit = 0;
        return _enabled && _perMinute.TryGetValue(tool, out limit);
    }

    private int RetryAfterLocked(Queue<long> window, int limit)
    {
        var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        while (window.Count > 0 && window.Peek() <= now - WindowSeconds * 1000L) window.Dequeue();
        if (window.Count < limit) return 0;
        var freesAt = window.Peek() + WindowSeconds * 1000L;
        return (int)Math.Max(1, Math.Ceiling((freesAt - now) / 1000.0));
    }

    /// <summary>Drops admissions older than the window, and the windows left empty (a client that stopped calling).</summary>
    private void SweepLocked()
    {
        var cutoff = _clock.GetUtcNow().ToUnixTimeMilliseconds() - WindowSeconds * 1000L;
        foreach (var (key, window) in _admitted)
        {
            while (window.Count > 0 && window.Peek() <= cutoff) window.Dequeue();
            if (window.Count == 0) _admitted.Remove(key);
        }
        _windowsAfterLastSweep = Math.Max(64, _admitted.Count);
    }

    private Queue<long> Window(string clientKey, string tool)
    {
        if (!_admitted.TryGetValue((clientKey, tool), out var window))
            _admitted[(clientKey, tool)] = window = new Queue<long>();
        return window;
    }
}

/// <summary>One admission inside a rate-limit window: what the restart snapshot carries so a restart resets no limit.</summary>
internal sealed record RateLimitEntry(string ClientKey, string Tool, long AdmittedUnixMs);
