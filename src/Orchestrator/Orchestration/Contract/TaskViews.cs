using Orchestrator.Tooling;

namespace Orchestrator.Orchestration.Contract;

/// <summary>A task as the task tools return it, with its progress.</summary>
[McpModel]
public sealed partial record TaskView
{
    [Describe("Task id")]
    public required string Id { get; init; }

    [Describe("Session the task belongs to")]
    public required string SessionId { get; init; }

    public required string Title { get; init; }
    public required string Description { get; init; }

    [Describe("Task status: planned, in_progress, completed, cancelled; failed (a subtask failed) or blocked (a subtask is blocked) until that is resolved")]
    public required TaskState Status { get; init; }

    public required Complexity Complexity { get; init; }

    [Describe("How urgent the task is; orchestrator_next_subtasks ranks by it first")]
    public required Priority Priority { get; init; }

    [Describe("Free labels (lower case)")]
    public required IReadOnlyList<string> Tags { get; init; }

    [Describe("Why the task was cancelled, when it was")]
    public string? CancelReason { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

    [Describe("Subtask counts by status")]
    public TaskProgress? Progress { get; init; }

    [Describe("Where a text search matched this task (orchestrator_query_tasks with text)")]
    public SearchMatch? Match { get; init; }
}

/// <summary>How far a task has got: subtask counts by status.</summary>
[McpModel]
public sealed partial record TaskProgress
{
    public required int Total { get; init; }
    public required int Pending { get; init; }
    public required int InProgress { get; init; }
    public required int Suspended { get; init; }
    public required int Completed { get; init; }
    public required int Cancelled { get; init; }
    public required int Failed { get; init; }
    public required int Blocked { get; init; }
    public required int NeedsRevision { get; init; }
    public required int NeedsReview { get; init; }

    [Describe("Completed subtasks as a percentage of the subtasks not cancelled", Minimum = 0, Maximum = 100)]
    public required double Percent { get; init; }
}

/// <summary>A subtask as the task tools return it.</summary>
[McpModel]
public sealed partial record SubtaskView
{
    [Describe("Subtask id")]
    public required string Id { get; init; }

    public required string TaskId { get; init; }

    [Describe("Order within the task, from 1")]
    public required int Position { get; init; }

    [Describe("The plan's name for this subtask, used in depends_on")]
    public required string Key { get; init; }

    public required string Title { get; init; }
    public required string Description { get; init; }

    [Describe("Specialist role that performs the subtask")]
    public required string Role { get; init; }

    public required Complexity Complexity { get; init; }
    public string? EstimatedEffort { get; init; }
    public required SubtaskStatus Status { get; init; }

    [Describe("Can be executed now: pending or needs_revision, every dependency completed")]
    public required bool Ready { get; init; }

    [Describe("Completion waits for orchestrator_review_subtask (status needs_review)")]
    public required bool ReviewRequired { get; init; }

    [Describe("Ids of the sibling subtasks that must be completed first")]
    public required IReadOnlyList<string> DependsOn { get; init; }

    [Describe("Why the subtask is in its status: the failure, what blocks it, what to revise")]
    public string? StatusReason { get; init; }

    [Describe("What its next execution must take into account (review notes, why it was reopened or retried)")]
    public string? RevisionNotes { get; init; }

    [Describe("Dependencies reopened after this subtask used their result: its work may need redoing")]
    public IReadOnlyList<string>? StaleInputs { get; init; }

    public string? ResultSummary { get; init; }
    public IReadOnlyList<string>? FilePaths { get; init; }
    public ArtifactType? ArtifactType { get; init; }
    public string? NextAction { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>A short reference to a subtask, e.g. one that became ready or one still missing.</summary>
[McpModel]
public sealed partial record SubtaskRef
{
    public required string Id { get; init; }
    public required string Key { get; init; }
    public required string Title { get; init; }
    public required string Role { get; init; }
    public required SubtaskStatus Status { get; init; }

    [Describe("Why it is in its status, when it has a reason (failed, blocked, needs_revision)")]
    public string? Reason { get; init; }
}

/// <summary>Where a ranked text search matched a task: its own title or description, or one of its subtasks.</summary>
[McpModel]
public sealed partial record SearchMatch
{
    [Describe("The subtask whose title, description or result summary matched; absent when the task's own text matched")]
    public string? SubtaskId { get; init; }

    [Describe("A short excerpt around the match, matched words in [brackets]")]
    public required string Snippet { get; init; }
}
