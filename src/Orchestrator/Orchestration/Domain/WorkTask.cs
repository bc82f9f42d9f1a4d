namespace Orchestrator.Orchestration;

/// <summary>A planned piece of work, broken down into subtasks. (Not "Task", which names <see cref="System.Threading.Tasks.Task"/>.)</summary>
public sealed record WorkTask
{
    public required string Id { get; init; }
    public required string SessionId { get; init; }
    public required string Title { get; init; }
    public required string Description { get; init; }
    public required TaskState Status { get; init; }
    public required Complexity Complexity { get; init; }
    public Priority Priority { get; init; } = Priority.Medium;
    /// <summary>Free labels, lower case, sorted; stored in their own table.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];
    public string? CancelReason { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Not completed or cancelled: its plan can still change and its subtasks still run.</summary>
    public bool IsOpen => Status is not (TaskState.Completed or TaskState.Cancelled);
}
