using Microsoft.Extensions.Logging;

namespace Orchestrator.Hosting;

/// <summary>Settings resolved from flags and environment variables (flags win).</summary>
internal sealed record ServerOptions
{
    public required string DataDirectory { get; init; }
    public bool RateLimitsEnabled { get; init; } = true;
    public LogLevel LogLevel { get; init; } = LogLevel.Information;
    public string? LogFile { get; init; }

    /// <summary>Tool groups to serve (<c>--tools</c>); null serves them all.</summary>
    public IReadOnlySet<string>? ToolGroups { get; init; }

    /// <summary>Arguments to give the next image on restart (the user's flags, without resume arguments).</summary>
    public IReadOnlyList<string> RestartArguments { get; init; } = [];

    /// <summary>Set in an image started by an in-place restart: the snapshot to resume from.</summary>
    public string? ResumeSnapshot { get; init; }

    /// <summary>Set with <see cref="ResumeSnapshot"/>: the JSON-RPC id of the restart call to answer, even if the snapshot is unreadable.</summary>
    public string? ResumeRequestId { get; init; }

    /// <summary>Streamable HTTP settings; null serves stdio.</summary>
    public Http.HttpOptions? Http { get; init; }

    /// <summary>Set in an HTTP image started by an in-place restart: the sockets the previous image left open.</summary>
    public Http.HttpHandoverArguments HttpHandover { get; init; } = new();

    public string DatabasePath => Path.Combine(DataDirectory, "orchestrator.db");
    public string SnapshotDirectory => Path.Combine(DataDirectory, "snapshots");
}
