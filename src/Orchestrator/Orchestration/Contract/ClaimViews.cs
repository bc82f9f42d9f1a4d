using Orchestrator.Tooling;

namespace Orchestrator.Orchestration.Contract;

/// <summary>An agent's claim on a subtask in progress.</summary>
[McpModel]
public sealed partial record ClaimView
{
    [Describe("The agent holding the subtask")]
    public required string Agent { get; init; }

    [Describe("When the claim was granted")]
    public required DateTimeOffset ClaimedAt { get; init; }

    [Describe("When the lease ends unless renewed; after that another agent may take the subtask over")]
    public required DateTimeOffset LeaseExpiresAt { get; init; }

    [Describe("Set when this claim took over another agent's expired lease: that agent")]
    public string? TookOverFrom { get; init; }

    [Describe("With took_over_from: when that agent's lease had ended")]
    public DateTimeOffset? TookOverLeaseExpiredAt { get; init; }
}

/// <summary>A subtask in progress that nobody may be working on any more.</summary>
[McpModel]
public sealed partial record StaleClaimView
{
    public required string SubtaskId { get; init; }
    public required string TaskId { get; init; }

    [Describe("The agent that held it, if any")]
    public string? Agent { get; init; }

    [Describe("When its lease ended (or ends, for a server that died)")]
    public DateTimeOffset? LeaseExpiresAt { get; init; }

    [Describe("lease_expired: the holder did not renew it in time; server_died: the server that granted it is gone (killed, crashed) and it was never resumed; unclaimed: in progress without a claim (from before claims existed)")]
    public required string Reason { get; init; }
}
