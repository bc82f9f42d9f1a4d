using Orchestrator.Tooling;

namespace Orchestrator.Orchestration.Contract;

[McpTool("orchestrator_review_subtask",
    Description = "Review a subtask waiting in needs_review (its plan set review_required): approve it (completed; its dependants may become ready) or send it back with notes, which its next orchestrator_execute_subtask returns",
    Result = typeof(ReviewSubtaskResult), Group = "tasks", Idempotent = true)]
public sealed partial record ReviewSubtaskArgs
{
    public required string SubtaskId { get; init; }

    [Describe("approve: accept the work; revise: send it back to be done again")]
    public required ReviewVerdict Verdict { get; init; }

    [Describe("What to change (required to send it back; at most 20000 characters)")]
    public string? Notes { get; init; }
}

/// <summary>A review's decision.</summary>
public enum ReviewVerdict
{
    Approve,
    Revise,
}

public sealed partial record ReviewSubtaskResult
{
    public required SubtaskView Subtask { get; init; }

    [Describe("Subtasks whose dependencies this approval satisfied")]
    public required IReadOnlyList<SubtaskRef> NewlyReady { get; init; }

    [Describe("Status of the parent task")]
    public required TaskState TaskStatus { get; init; }

    public required TaskProgress Progress { get; init; }

    [Describe("Set when this answer was cut to fit the answer budget: what was cut and where to read the rest")]
    public string? Truncated { get; init; }
}
