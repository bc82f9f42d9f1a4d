using Orchestrator.Tooling;

namespace Orchestrator.Orchestration.Contract;

[McpTool("orchestrator_renew_lease",
    Description = "Heartbeat of the agent working on a subtask: its lease ends lease_seconds from now. Only the holder may renew; a holder whose lease ended may renew until another agent takes the subtask over",
    Result = typeof(RenewLeaseResult), Group = "tasks", Idempotent = true)]
public sealed partial record RenewLeaseArgs
{
    public required string SubtaskId { get; init; }

    [Describe("The agent holding the subtask (1-200 characters); by default the client's name")]
    public string? Agent { get; init; }

    [Describe("Seconds from now the lease lasts", Minimum = 1, Maximum = 86400)]
    public int LeaseSeconds { get; init; } = 900;
}

public sealed partial record RenewLeaseResult
{
    public required ClaimView Claim { get; init; }

    [Describe("True when the lease had already ended (nobody had taken the subtask over, so the holder kept it)")]
    public required bool WasExpired { get; init; }
}
