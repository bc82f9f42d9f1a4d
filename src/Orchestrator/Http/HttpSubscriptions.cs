using System.Collections.Concurrent;
using System.Text.Json;
using Orchestrator.Orchestration.Mcp;

namespace Orchestrator.Http;

/// <summary>
/// The resource subscriptions of Streamable HTTP sessions (2025-11-25 clients): per session, the URIs it subscribed to
/// and the lists whose change it has yet to be told of (after a restart into a binary serving other tools, prompts or
/// resource templates). The session's standalone stream (<see cref="SessionEventStreams"/>) reads them to send
/// <c>notifications/resources/updated</c> and <c>notifications/…/list_changed</c>. Part of the session: carried across
/// restarts (<see cref="HttpSubscriptionHandover"/>); dropped with the session. Bounded per session, since any client
/// can subscribe.
/// </summary>
internal sealed class HttpSubscriptions(McpSurface surface, HttpSessionCatalog catalog) : IResourceSubscriptions
{
    /// <summary>Subscriptions one session may hold; past it a subscribe is refused (invalid params, saying so).</summary>
    public const int MaxPerSession = 1000;

    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);

    /// <summary>One session's part; its own lock, since its stream reads while its requests subscribe.</summary>
    private sealed class Session
    {
        public readonly Lock Lock = new();
        public readonly List<string> Uris = [];
        public readonly List<string> OwedLists = [];

        /// <summary>The change mark when the set last went from empty to not: a stream with no mark yet starts there.</summary>
        public long SinceMark;
    }

    public async ValueTask<McpAnswer> SubscribeAsync(string? sessionId, JsonElement? parameters)
    {
        if (sessionId is null)
            return McpAnswer.Invalid("resources/subscribe needs a Streamable HTTP session (protocol 2025-11-25 or earlier, after initialize): " +
                "its updates arrive on the session's GET stream");
        var (answer, uri) = await surface.SubscriptionTargetAsync(parameters, CancellationToken.None).ConfigureAwait(false);
        if (uri is null) return answer;
        // The store is bound: the check above read from it.
        var mark = surface.Changes!.Mark();
        if (_sessions.Count > 2 * catalog.Count + 16) ForgetEnded();
        var session = _sessions.GetOrAdd(sessionId, static _ => new Session());
        lock (session.Lock)
        {
            if (session.Uris.Contains(uri)) return answer;
            if (session.Uris.Count >= MaxPerSession)
                return McpAnswer.Invalid($"a session holds at most {MaxPerSession} subscriptions: unsubscribe from some first", uri);
            if (session.Uris.Count == 0) session.SinceMark = mark;
            session.Uris.Add(uri);
        }
        return answer;
    }

    /// <summary>Unsubscribing from what is not subscribed is not an error: the outcome the client wants holds.</summary>
    public McpAnswer Unsubscribe(string? sessionId, JsonElement? parameters)
    {
        if (McpSurface.UnsubscribeTarget(parameters) is not { } uri) return McpAnswer.Invalid("resources/unsubscribe needs params.uri, a string");
        if (sessionId is not null && _sessions.TryGetValue(sessionId, out var session))
            lock (session.Lock) session.Uris.Remove(uri);
        return McpAnswer.Success(McpSurface.EmptyResult);
    }

    /// <summary>The URIs the session is subscribed to (a copy), and the mark a stream with none yet starts from.</summary>
    public (string[] Uris, long SinceMark) Of(string sessionId)
    {
        if (!_sessions.TryGetValue(sessionId, out var session)) return ([], 0);
        lock (session.Lock) return ([.. session.Uris], session.SinceMark);
    }

    /// <summary>Every session named is to be told that these lists changed, when its stream next opens.</summary>
    public void OweListsChanged(IReadOnlyList<string> kinds, IEnumerable<string> sessionIds)
    {
        foreach (var id in sessionIds)
        {
            var session = _sessions.GetOrAdd(id, static _ => new Session());
            lock (session.Lock)
                foreach (var kind in kinds)
                    if (!session.OwedLists.Contains(kind)) session.OwedLists.Add(kind);
        }
    }

    /// <summary>The lists the session is to be told of, now taken: the caller sends them.</summary>
    public string[] TakeOwedLists(string sessionId)
    {
        if (!_sessions.TryGetValue(sessionId, out var session)) return [];
        lock (session.Lock)
        {
            string[] owed = [.. session.OwedLists];
            session.OwedLists.Clear();
            return owed;
        }
    }

    /// <summary>The session ended (deleted, expired, evicted): its subscriptions go with it.</summary>
    public void Forget(string sessionId) => _sessions.TryRemove(sessionId, out _);

    /// <summary>Drops what sessions that ended without a DELETE (expired, evicted) left here.</summary>
    private void ForgetEnded()
    {
        foreach (var id in _sessions.Keys)
            if (!catalog.Contains(id)) _sessions.TryRemove(id, out _);
    }

    /// <summary>What crosses a restart: the sessions still known that hold anything.</summary>
    public byte[] Export()
    {
        var carried = new List<(string, string[], string[])>();
        foreach (var (id, session) in _sessions)
        {
            if (!catalog.Contains(id)) continue;
            lock (session.Lock)
                if (session.Uris.Count > 0 || session.OwedLists.Count > 0) carried.Add((id, [.. session.Uris], [.. session.OwedLists]));
        }
        return carried.Count == 0 ? [] : HttpSubscriptionHandover.Encode(carried);
    }

    /// <summary>The subscriptions the previous image carried (none when the bytes are empty or not a layout this build reads).</summary>
    public static HttpSubscriptions Import(ReadOnlySpan<byte> carried, McpSurface surface, HttpSessionCatalog catalog)
    {
        var subscriptions = new HttpSubscriptions(surface, catalog);
        if (carried.IsEmpty || HttpSubscriptionHandover.TryDecode(carried) is not { } sessions) return subscriptions;
        foreach (var (id, uris, owed) in sessions)
        {
            var session = subscriptions._sessions.GetOrAdd(id, static _ => new Session());
            session.Uris.AddRange(uris.Distinct(StringComparer.Ordinal).Take(MaxPerSession));
            session.OwedLists.AddRange(owed.Distinct(StringComparer.Ordinal));
        }
        return subscriptions;
    }
}
