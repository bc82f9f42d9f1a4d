using Orchestrator.Tooling;

namespace Orchestrator.Reboot.Contract;

[McpTool("orchestrator_health_check", Description = "Check server health and readiness for operations",
    Result = typeof(HealthCheckResult), Group = "reboot",
    AllowedDuringMaintenance = true)]
public sealed partial record HealthCheckArgs
{
    [Describe("Whether to include restart readiness in health check")]
    public bool IncludeRebootReadiness { get; init; } = true;

    [Describe("Whether to include client connection status")]
    public bool IncludeConnectionStatus { get; init; } = true;

    [Describe("Whether to include database status")]
    public bool IncludeDatabaseStatus { get; init; } = true;
}

public sealed partial record HealthCheckResult
{
    [Describe("Overall health status")]
    public required bool Healthy { get; init; }

    [Describe("ISO timestamp of health check")]
    public required DateTimeOffset Timestamp { get; init; }

    [Describe("Server version")]
    public required string ServerVersion { get; init; }

    public HealthChecks? Checks { get; init; }

    [Describe("The binary serving: its version and build id (different for any two different binaries)")]
    public BuildInfo? Build { get; init; }

    [Describe("In-place restarts this process has made since it was started (0 after a cold start)")]
    public int? RestartGeneration { get; init; }
}

[McpModel]
public sealed partial record BuildInfo
{
    [Describe("Server version")]
    public required string Version { get; init; }

    [Describe("The executable's GNU build id (hex, as readelf -n shows it); absent when the binary has none")]
    public string? BuildId { get; init; }
}

[McpModel]
public sealed partial record HealthChecks
{
    public RebootReadiness? RebootReadiness { get; init; }
    public DatabaseHealth? Database { get; init; }
    public ConnectionHealth? Connections { get; init; }

    [Describe("Work in progress on the task store, with the claims nobody may be working on any more (with include_database_status)")]
    public WorkHealth? Work { get; init; }
}

[McpModel]
public sealed partial record WorkHealth
{
    [Describe("Subtasks in progress across all tasks")]
    public required int SubtasksInProgress { get; init; }

    [Describe("Subtasks in progress whose lease expired, whose server died (killed, crashed) or that nobody claimed; orchestrator_get_status lists them")]
    public required int StaleClaims { get; init; }

    [Describe("The first stale claims, one line each")]
    public required IReadOnlyList<string> Stale { get; init; }
}

[McpModel]
public sealed partial record RebootReadiness
{
    public required bool Ready { get; init; }
    public required IReadOnlyList<string> Issues { get; init; }
    public RebootReadinessDetails? Details { get; init; }
}

[McpModel]
public sealed partial record RebootReadinessDetails
{
    [Describe("Path of the executable a restart will exec")]
    public required string Executable { get; init; }

    [Describe("Directory the restart snapshot is written to")]
    public required string SnapshotDirectory { get; init; }

    [Describe("Requests being handled right now, this call included")]
    public required int InFlightRequests { get; init; }

    [Describe("Requests held back by maintenance mode, answered after the restart")]
    public required int HeldRequests { get; init; }

    [Describe("Subtasks in progress: a restart suspends them durably and the new image resumes them")]
    public required int ActiveSubtasks { get; init; }

    [Describe("Whether a restart is running")]
    public required bool RestartInProgress { get; init; }

    [Describe("Seconds until the rate limit admits another restart from this client (0 when it would)")]
    public required int RestartRetryAfter { get; init; }
}

[McpModel]
public sealed partial record DatabaseHealth
{
    public required bool Connected { get; init; }
    public required string Status { get; init; }

    [Describe("Whether a write could be made now: false when the store is read-only, locked by another process, deleted or replaced, or its disk is full (status says which)")]
    public bool? Writable { get; init; }

    [Describe("Round trip of the probe query, milliseconds")]
    public double? ProbeMilliseconds { get; init; }

    [Describe("Path of the SQLite database")]
    public string? Path { get; init; }
}

[McpModel]
public sealed partial record ConnectionHealth
{
    public required int ActiveConnections { get; init; }
    public required string Status { get; init; }

    [Describe("Transport of the connection (stdio or http)")]
    public string? Transport { get; init; }
}
