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
internal sealed class HttpSessionCatalog : ISessionMigrationHandler
{
    private static readonly JsonTypeInfo<InitializeRequestParams> s_paramsType =
        (JsonTypeInfo<InitializeRequestParams>)McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(InitializeRequestParams));

    private readonly ConcurrentDictionary<string, Entry> _sessions = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;

    public HttpSessionCatalog(TimeProvider clock, IEnumerable<HttpSessionRecord> inherited)
    {
        _clock = clock;
        foreach (var record in inherited)
            _sessions[record.Id] = new Entry(record.InitializeParamsJson, record.CreatedUnixMs, record.RestartsSurvived + 1);
    }

    public int Count => _sessions.Count;

    public IReadOnlyCollection<string> Ids => [.. _sessions.Keys];

    public bool Contains(string id) => _sessions.ContainsKey(id);

    public int RestartsSurvived(string id) => _sessions.TryGetValue(id, out var entry) ? entry.RestartsSurvived : 0;

    /// <summary>The client's name from its initialize parameters, for status reports.</summary>
    public string? ClientName(string id)
    {
        if (!_sessions.TryGetValue(id, out var entry)) return null;
        return JsonSerializer.Deserialize(entry.InitializeParamsJson, s_paramsType)?.ClientInfo?.Name;
    }

    public void Forget(string id) => _sessions.TryRemove(id, out _);

    public IReadOnlyList<HttpSessionRecord> Export() =>
        [.. _sessions.Select(pair => new HttpSessionRecord(pair.Key, pair.Value.InitializeParamsJson, pair.Value.CreatedUnixMs, pair.Value.RestartsSurvived))];

    public ValueTask OnSessionInitializedAsync(HttpContext context, string sessionId, InitializeRequestParams initializeParams, CancellationToken cancellationToken)
    {
        _sessions[sessionId] = new Entry(JsonSerializer.Serialize(initializeParams, s_paramsType), _clock.GetUtcNow().ToUnixTimeMilliseconds(), 0);
        return ValueTask.CompletedTask;
    }

    public ValueTask<InitializeRequestParams?> AllowSessionMigrationAsync(HttpContext context, string sessionId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_sessions.TryGetValue(sessionId, out var entry) ? JsonSerializer.Deserialize(entry.InitializeParamsJson, s_paramsType) : null);

    private sealed record Entry(string InitializeParamsJson, long CreatedUnixMs, int RestartsSurvived);
}
