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

    [Describe("Task status")]
    public required TaskState Status { get; init; }

    public required Complexity Complexity { get; init; }

    [Describe("Why the task was cancelled, when it was")]
    public string? CancelReason { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

    [Describe("Subtask counts by status")]
    public TaskProgress? Progress { get; init; }
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

    [Describe("Ids of the sibling subtasks that must be completed first")]
    public required IReadOnlyList<string> DependsOn { get; init; }

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
}
