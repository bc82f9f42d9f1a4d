using Orchestrator.Tooling;

namespace Orchestrator.Reboot.Contract;

[McpTool("orchestrator_restart_status", Description = "Retrieves current restart operation status and optionally historical restart information.",
    Result = typeof(RestartStatusResult), Group = "reboot",
    PerMinute = 10, AllowedDuringMaintenance = true)]
public sealed partial record RestartStatusArgs
{
    [Describe("Whether to include restart history")]
    public bool IncludeHistory { get; init; } = false;

    [Describe("Whether to include detailed error information")]
    public bool IncludeErrorDetails { get; init; } = true;
}

public sealed partial record RestartStatusResult
{
    public required CurrentRestartStatus CurrentStatus { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    public RestartHistory? History { get; init; }
}

[McpModel]
public sealed partial record CurrentRestartStatus
{
    public required RestartPhase Phase { get; init; }

    [Describe("Progress of the current or last restart, percent", Minimum = 0, Maximum = 100)]
    public required double Progress { get; init; }

    public required string Message { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? EstimatedCompletion { get; init; }
    public IReadOnlyList<string>? Errors { get; init; }
    public required bool MaintenanceMode { get; init; }
}

[McpModel]
public sealed partial record RestartHistory
{
    public required IReadOnlyList<RestartRecord> RecentRestarts { get; init; }
    public required int TotalRestarts { get; init; }
    public DateTimeOffset? LastSuccessfulRestart { get; init; }
}

[McpModel]
public sealed partial record RestartRecord
{
    public required DateTimeOffset Timestamp { get; init; }
    public required string Reason { get; init; }
    public required bool Success { get; init; }

    [Describe("Seconds from the restart call to the new image serving")]
    public double? Duration { get; init; }

    [Describe("Final phase of the restart")]
    public string? Phase { get; init; }

    [Describe("Error code of a failed restart")]
    public string? ErrorCode { get; init; }

    [Describe("Error message of a failed restart")]
    public string? Error { get; init; }
}
