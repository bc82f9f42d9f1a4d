using Orchestrator.Tooling;

namespace Orchestrator.Reboot.Contract;

[McpTool("orchestrator_restart_server", Description = "Trigger a graceful server restart with state preservation",
    Result = typeof(RestartServerResult), Group = "reboot",
    PerMinute = 1, AllowedDuringMaintenance = true)]
public sealed partial record RestartServerArgs
{
    [Describe("Whether to perform graceful shutdown")]
    public bool Graceful { get; init; } = true;

    [Describe("Whether to preserve server state across restart")]
    public bool PreserveState { get; init; } = true;

    [Describe("Maximum time to wait for restart completion (seconds)", Minimum = 10, Maximum = 300)]
    public int Timeout { get; init; } = 30;

    [Describe("Reason for the restart")]
    public RestartReason Reason { get; init; } = RestartReason.ManualRequest;
}

public sealed partial record RestartServerResult
{
    [Describe("Whether the restart was successful")]
    public required bool Success { get; init; }

    [Describe("Whether graceful shutdown was performed")]
    public required bool Graceful { get; init; }

    [Describe("Whether state was preserved")]
    public required bool PreserveState { get; init; }

    [Describe("Timeout used for restart")]
    public int? Timeout { get; init; }

    [Describe("Current or final restart phase")]
    public required RestartAnswerPhase Phase { get; init; }

    [Describe("Restart progress percentage", Minimum = 0, Maximum = 100)]
    public double? Progress { get; init; }

    [Describe("Human-readable status message")]
    public string? Message { get; init; }

    [Describe("Reason for restart")]
    public string? RestartReason { get; init; }

    [Describe("ISO timestamp when restart completed")]
    public DateTimeOffset? CompletedAt { get; init; }

    [Describe("List of errors encountered during restart")]
    public IReadOnlyList<string>? Errors { get; init; }

    [Describe("Restart duration in seconds, from the call's arrival to the new process image serving")]
    public double? Duration { get; init; }

    [Describe("Process id, identical before and after an in-place restart")]
    public int? Pid { get; init; }
}
