using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using ModelContextProtocol;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Protocol;
using Orchestrator.Reboot.Snapshot;

namespace Orchestrator.Http;

/// <summary>
/// The Streamable HTTP sessions of 2025-11-25 clients, kept so that their ids stay valid across in-place restarts:
/// the SDK tells us each session's <c>initialize</c> parameters, the snapshot carries them, and when a request
/// names a session the new image has not seen, the SDK asks here and recreates it under the same id.
/// </summary>
/// <remarks>
/// Bounded, since any client can open sessions: a session with no request for the idle timeout is forgotten, and past
/// the maximum a new session makes the longest idle one forgotten. A forgotten session's requests get 404 (the spec's
/// answer to an unknown session: the client initializes again). What crosses a restart is at most the maximum, each
/// with its <c>initialize</c> parameters bounded in size, in order of last activity: the next image keeps that order
/// (its idle clocks start again at the restart; the snapshot carries no times of activity).
/// </remarks>
internal sealed class HttpSessionCatalog : ISessionMigrationHandler
{
    /// <summary>The <c>initialize</c> parameters kept per session (larger ones are reduced to version, client name and version).</summary>
    public const int MaxParamsBytes = 16 * 1024;

    private static readonly JsonTypeInfo<InitializeRequestParams> s_paramsType =
        (JsonTypeInfo<InitializeRequestParams>)McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(InitializeRequestParams));

    private readonly ConcurrentDictionary<string, Entry> _sessions = new(StringComparer.Ordinal);
    private readonly Lock _evicting = new();
    private readonly TimeProvider _clock;
    private readonly int _maxSessions;
    private readonly long _idleTimeoutMs;

    public HttpSessionCatalog(TimeProvider clock, IEnumerable<HttpSessionRecord> inherited, int maxSessions, TimeSpan idleTimeout)
    {
        _clock = clock;
        _maxSessions = maxSessions;
        _idleTimeoutMs = (long)idleTimeout.TotalMilliseconds;
        var now = NowMs();
        var rank = 0L;
        // Carried most recently active first: a millisecond apart, so that eviction keeps that order.
        foreach (var record in inherited.Take(maxSessions))
            _sessions[record.Id] = new Entry(record.InitializeParamsJson, record.CreatedUnixMs, record.RestartsSurvived + 1, now - rank++);
    }

    public int Count => _sessions.Count;

    public bool Contains(string id) => _sessions.TryGetValue(id, out var entry) && !Expired(entry, NowMs());

    /// <summary>A request names session <paramref name="id"/>: true (and it counts as activity) when the session is known and not expired.</summary>
    public bool Touch(string id)
    {
        if (!_sessions.TryGetValue(id, out var entry)) return false;
        var now = NowMs();
        if (Expired(entry, now))
        {
            _sessions.TryRemove(id, out _);
            return false;
        }
        entry.LastActiveUnixMs = now;
        return true;
    }

    public int RestartsSurvived(string id) => _sessions.TryGetValue(id, out var entry) ? entry.RestartsSurvived : 0;

    /// <summary>The ids of the sessions known now (expired ones forgotten first); nothing else of them is read.</summary>
    public IReadOnlyList<string> Ids()
    {
        ForgetExpired();
        return [.. _sessions.Keys];
    }

    /// <summary>The protocol revision the session negotiated (<see cref="SessionRevision"/>); null for an unknown session.</summary>
    public string? Revision(string id) => _sessions.TryGetValue(id, out var entry) ? entry.Revision : null;

    /// <summary>The client's name from its initialize parameters, for status reports.</summary>
    public string? ClientName(string id) => _sessions.TryGetValue(id, out var entry) ? ClientNameOf(entry) : null;

    public void Forget(string id) => _sessions.TryRemove(id, out _);

    /// <summary>The <paramref name="count"/> most recently active sessions, most recent first (expired ones forgotten first).</summary>
    public IReadOnlyList<SessionSummary> MostRecent(int count)
    {
        ForgetExpired();
        var now = NowMs();
        return [.. _sessions
            .OrderByDescending(pair => pair.Value.LastActiveUnixMs).Take(count)
            .Select(pair => new SessionSummary(pair.Key, ClientNameOf(pair.Value), pair.Value.RestartsSurvived,
                TimeSpan.FromMilliseconds(Math.Max(0, now - pair.Value.LastActiveUnixMs))))];
    }

    /// <summary>What crosses a restart: the live sessions, most recently active first, at most the maximum.</summary>
    public IReadOnlyList<HttpSessionRecord> Export()
    {
        ForgetExpired();
        return [.. _sessions
            .OrderByDescending(pair => pair.Value.LastActiveUnixMs).Take(_maxSessions)
            .Select(pair => new HttpSessionRecord(pair.Key, pair.Value.InitializeParamsJson, pair.Value.CreatedUnixMs, pair.Value.RestartsSurvived))];
    }

    public ValueTask OnSessionInitializedAsync(HttpContext context, string sessionId, InitializeRequestParams initializeParams, CancellationToken cancellationToken)
    {
        var now = NowMs();
        _sessions[sessionId] = new Entry(Bounded(initializeParams), now, 0, now);
        lock (_evicting)
        {
            ForgetExpired();
            // Past the maximum, the longest idle sessions go; the one just opened stays (it is the most recent).
            while (_sessions.Count > _maxSessions && LongestIdle(except: sessionId) is { } oldest) _sessions.TryRemove(oldest, out _);
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask<InitializeRequestParams?> AllowSessionMigrationAsync(HttpContext context, string sessionId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_sessions.TryGetValue(sessionId, out var entry) && !Expired(entry, NowMs())
            ? JsonSerializer.Deserialize(entry.InitializeParamsJson, s_paramsType)
            : null);

    /// <summary>The parameters as kept: verbatim up to <see cref="MaxParamsBytes"/>; beyond, only what identifies the client.</summary>
    private static string Bounded(InitializeRequestParams initializeParams)
    {
        var json = JsonSerializer.Serialize(initializeParams, s_paramsType);
        if (json.Length <= MaxParamsBytes) return json;
        return JsonSerializer.Serialize(new InitializeRequestParams
        {
            ProtocolVersion = Cut(initializeParams.ProtocolVersion, 64),
            Capabilities = new ClientCapabilities(),
            ClientInfo = new Implementation { Name = Cut(initializeParams.ClientInfo?.Name, 256), Version = Cut(initializeParams.ClientInfo?.Version, 256) },
        }, s_paramsType);
    }

    private static string Cut(string? text, int length) => text is null ? "" : text.Length <= length ? text : text[..length];

    private static string? ClientNameOf(Entry entry) => JsonSerializer.Deserialize(entry.InitializeParamsJson, s_paramsType)?.ClientInfo?.Name;

    private string? LongestIdle(string except)
    {
        string? oldest = null;
        var oldestAt = long.MaxValue;
        foreach (var (id, entry) in _sessions)
        {
            if (id == except || entry.LastActiveUnixMs >= oldestAt) continue;
            oldest = id;
            oldestAt = entry.LastActiveUnixMs;
        }
        return oldest;
    }

    private void ForgetExpired()
    {
        var now = NowMs();
        foreach (var (id, entry) in _sessions)
            if (Expired(entry, now)) _sessions.TryRemove(id, out _);
    }

    private bool Expired(Entry entry, long now) => now - entry.LastActiveUnixMs > _idleTimeoutMs;

    private long NowMs() => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    private sealed class Entry(string initializeParamsJson, long createdUnixMs, int restartsSurvived, long lastActiveUnixMs)
    {
        private long _lastActiveUnixMs = lastActiveUnixMs;

        public string InitializeParamsJson { get; } = initializeParamsJson;
        public long CreatedUnixMs { get; } = createdUnixMs;
        public int RestartsSurvived { get; } = restartsSurvived;

        public long LastActiveUnixMs
        {
            get => Volatile.Read(ref _lastActiveUnixMs);
            set => Volatile.Write(ref _lastActiveUnixMs, value);
        }

        /// <summary>Read from the parameters when first asked (a restart carries many sessions; few requests need it).</summary>
        public string Revision => _revision ??= SessionRevision.Negotiated(JsonSerializer.Deserialize(InitializeParamsJson, s_paramsType)?.ProtocolVersion);

        private string? _revision;
    }
}

/// <summary>One session as <c>orchestrator_reconnect_test</c> lists it.</summary>
internal sealed record SessionSummary(string Id, string? ClientName, int RestartsSurvived, TimeSpan Idle);
