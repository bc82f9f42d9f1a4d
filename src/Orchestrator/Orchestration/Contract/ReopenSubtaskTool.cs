using Orchestrator.Tooling;

namespace Orchestrator.Orchestration.Contract;

[McpTool("orchestrator_reopen_subtask",
    Description = "Put a subtask back to work: retry a failed one, unblock a blocked one (both back to pending), or reopen a completed one (to needs_revision; the subtasks that already used its result are flagged, not reset)",
    Result = typeof(ReopenSubtaskResult), Group = "tasks", Idempotent = true)]
public sealed partial record ReopenSubtaskArgs
{
    public required string SubtaskId { get; init; }

    [Describe("retry (from failed), unblock (from blocked) or reopen (from completed)")]
    public required ReopenAction Action { get; init; }

    [Describe("What the next execution should know: what changed, what to redo (required to reopen; at most 20000 characters)")]
    public string? Note { get; init; }
}

/// <summary>How a subtask goes back to work, and from which status.</summary>
public enum ReopenAction
{
    Retry,
    Unblock,
    Reopen,
}

public sealed partial record ReopenSubtaskResult
{
    public required SubtaskView Subtask { get; init; }

    [Describe("Reopen: subtasks that had already used this one's result, now flagged with stale_inputs (their status is unchanged)")]
    public required IReadOnlyList<SubtaskRef> Flagged { get; init; }

    [Describe("Status of the parent task")]
    public required TaskState TaskStatus { get; init; }

    public required TaskProgress Progress { get; init; }

    [Describe("Set when this answer was cut to fit the answer budget: what was cut and where to read the rest")]
    public string? Truncated { get; init; }
}
