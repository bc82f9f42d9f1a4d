namespace Orchestrator.Orchestration;

/// <summary>One step of a task, done by one specialist role once the sibling subtasks it depends on are completed.</summary>
public sealed record Subtask
{
    public required string Id { get; init; }
    public required string TaskId { get; init; }
    /// <summary>Order within the task, from 1; plans list subtasks in this order.</summary>
    public required int Position { get; init; }
    /// <summary>The name the plan gave this subtask so that siblings can depend on it.</summary>
    public required string Key { get; init; }
    public required string Title { get; init; }
    public required string Description { get; init; }
    public required string Role { get; init; }
    public required Complexity Complexity { get; init; }
    public string? EstimatedEffort { get; init; }
    public required SubtaskStatus Status { get; init; }
    public string? ResultSummary { get; init; }
    public IReadOnlyList<string> FilePaths { get; init; } = [];
    public ArtifactType? ArtifactType { get; init; }
    public string? NextAction { get; init; }
    /// <summary>Ids of the sibling subtasks that must be completed first.</summary>
    public IReadOnlyList<string> DependsOn { get; init; } = [];
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
}
