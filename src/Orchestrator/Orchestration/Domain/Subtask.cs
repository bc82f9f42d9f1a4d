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
    /// <summary>Completion waits for a review call (<see cref="SubtaskStatus.NeedsReview"/>).</summary>
    public bool ReviewRequired { get; init; }
    /// <summary>Why the subtask is in its status: the failure, what blocks it, what to revise.</summary>
    public string? StatusReason { get; init; }
    /// <summary>What the next execution must know: review notes, why it was reopened or retried; cleared on completion.</summary>
    public string? RevisionNotes { get; init; }
    /// <summary>Dependencies reopened after this subtask consumed their result; cleared when it is executed again.</summary>
    public IReadOnlyList<string> StaleInputs { get; init; } = [];
    /// <summary>Dependencies not completed yet (kept by <see cref="TaskLifecycle"/>; 0 means its inputs are ready).</summary>
    public int UnmetDependencies { get; init; }
    /// <summary>Unfinished subtasks that depend on this one (kept by <see cref="TaskLifecycle"/>; "next" ranks by it).</summary>
    public int Dependants { get; init; }
    /// <summary>Ids of the sibling subtasks that must be completed first.</summary>
    public IReadOnlyList<string> DependsOn { get; init; } = [];
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Can be executed now: waiting for a (first or next) execution, every dependency completed.</summary>
    public bool IsReady => Status is (SubtaskStatus.Pending or SubtaskStatus.NeedsRevision) && UnmetDependencies == 0;
}
