using Orchestrator.Tooling;

namespace Orchestrator.Orchestration.Contract;

[McpTool("orchestrator_next_subtasks",
    Description = "The ready subtasks across all open tasks of a session (or of all sessions), ranked by their task's priority, then by how many unfinished subtasks wait on each, then oldest first, each with the reason for its rank",
    Result = typeof(NextSubtasksResult), Group = "tasks")]
public sealed partial record NextSubtasksArgs
{
    [Describe("Only this session's tasks; all sessions when absent")]
    public string? SessionId { get; init; }

    [Describe("Only subtasks for this specialist role")]
    public string? Role { get; init; }

    [Describe("Most subtasks listed", Minimum = 1, Maximum = 50)]
    public int Limit { get; init; } = 10;
}

public sealed partial record NextSubtasksResult
{
    [Describe("Ready subtasks, best first")]
    public required IReadOnlyList<RankedSubtask> Subtasks { get; init; }

    [Describe("Whether more subtasks are ready than were listed")]
    public required bool HasMore { get; init; }

    [Describe("Subtasks waiting for orchestrator_review_subtask (in the same session, when one is given)")]
    public required int AwaitingReview { get; init; }

    [Describe("Set when this answer was cut to fit the answer budget: what was cut and where to read the rest")]
    public string? Truncated { get; init; }
}

/// <summary>A ready subtask in the ranking, with why it is where it is.</summary>
[McpModel]
public sealed partial record RankedSubtask
{
    [Describe("1 for the best")]
    public required int Rank { get; init; }

    public required SubtaskRef Subtask { get; init; }
    public required string TaskId { get; init; }
    public required string TaskTitle { get; init; }
    public required Priority Priority { get; init; }

    [Describe("Unfinished subtasks that depend on this one")]
    public required int Unblocks { get; init; }

    [Describe("When the subtask was planned")]
    public required DateTimeOffset WaitingSince { get; init; }

    [Describe("Why it ranks here")]
    public required string Reason { get; init; }
}
