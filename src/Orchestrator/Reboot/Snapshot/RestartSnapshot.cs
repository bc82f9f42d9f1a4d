using Orchestrator.Tooling;

namespace Orchestrator.Reboot.Snapshot;

/// <summary>Everything one process image hands to the next across <c>execv</c>.</summary>
internal sealed record RestartSnapshot
{
    /// <summary>The restart call the next image must answer.</summary>
    public required PendingRestart Pending { get; init; }

    /// <summary>Frames read from stdin but not handled (held by maintenance mode or not yet dispatched), newline-separated.</summary>
    public byte[] ReplayBytes { get; init; } = [];

    /// <summary>The MCP session to continue; null when state is not preserved or no client had initialized.</summary>
    public SessionSnapshot? Session { get; init; }

    /// <summary>Admissions inside the rate-limit window, kept so a restart does not reset the limits.</summary>
    public IReadOnlyList<RateLimitEntry> RateLimits { get; init; } = [];

    /// <summary>Subtasks that were in progress and were suspended for the restart; the next image resumes them.</summary>
    public IReadOnlyList<string> SuspendedSubtasks { get; init; } = [];

    public bool StatePreserved { get; init; }

    /// <summary>Streamable HTTP sessions (2025-11-25 clients) whose ids stay valid in the next image.</summary>
    public IReadOnlyList<HttpSessionRecord> HttpSessions { get; init; } = [];

    /// <summary>The response streams kept for HTTP clients to resume, encoded by the HTTP transport (opaque here); empty when none.</summary>
    public byte[] HttpEventStreams { get; init; } = [];

    /// <summary>The HTTP sessions' resource subscriptions, encoded by the HTTP transport (opaque here); empty when none.</summary>
    public byte[] HttpSubscriptions { get; init; } = [];

    /// <summary>The writing image's restart generation and served lists; null from a release that did not write them.</summary>
    public ImageLineage? Lineage { get; init; }

    /// <summary>The stdio client's resource subscriptions; null when it had none (or state is not preserved).</summary>
    public SubscriptionsSnapshot? Subscriptions { get; init; }

    /// <summary>The format version the snapshot was read from: below the current one, it was migrated (a live upgrade).</summary>
    public ushort FormatVersion { get; init; } = SnapshotFormat.CurrentVersion;
}

/// <summary>
/// Resource subscriptions (URIs, opaque to the restart system) and the store's change mark they were checked up to:
/// the next image reports what changed after the mark, the restart's own window included.
/// </summary>
internal sealed record SubscriptionsSnapshot(long ChangeMark, IReadOnlyList<string> Uris);

/// <summary>An HTTP session: its id and the client's <c>initialize</c> parameters (JSON), from which the next image recreates it.</summary>
internal sealed record HttpSessionRecord(string Id, string InitializeParamsJson, long CreatedUnixMs, int RestartsSurvived);

/// <summary>The restart call the new image answers, with what its answer reports and its history row.</summary>
internal sealed record PendingRestart(
    string RequestIdJson,
    bool Graceful,
    bool PreserveState,
    int Timeout,
    string Reason,
    long StartedUnixMs,
    long StartedTimestamp,
    long HistoryId)
{
    /// <summary>The server version of the image that wrote the snapshot (null from format 1, which did not record it).</summary>
    public string? WriterVersion { get; init; }
}

internal sealed record SessionSnapshot(
    string Id,
    long CreatedUnixMs,
    string? ProtocolVersion,
    string? ClientInfoJson,
    string? CapabilitiesJson,
    bool Initialized,
    int RestartsSurvived)
{
    /// <summary>The MCP logging level the client asked for (<c>logging/setLevel</c>), if any.</summary>
    public string? LoggingLevel { get; init; }
}


/// <summary>The snapshot cannot be trusted; the message says why.</summary>
internal sealed class SnapshotCorruptException(string message) : Exception(message);
