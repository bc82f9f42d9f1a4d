namespace Orchestrator.Orchestration;

/// <summary>What kind of change a history row records.</summary>
public enum HistoryEvent
{
    /// <summary>A task was planned, or a subtask added to its plan (to its first status).</summary>
    Created,
    /// <summary>The status moved (from → to), possibly with fields that changed with it.</summary>
    StatusChanged,
    /// <summary>Fields changed, the status did not.</summary>
    Edited,
    /// <summary>A revision removed the subtask from its plan.</summary>
    Removed,
}

/// <summary>One field a change altered: its name as the tools spell it, and its old and new values (bounded, null when unset).</summary>
public sealed record FieldChange(string Field, string? From, string? To);

/// <summary>One recorded change of a task (no <see cref="SubtaskId"/>) or of one of its subtasks.</summary>
public sealed record HistoryEntry
{
    /// <summary>Order of recording within the store (rows are never rewritten).</summary>
    public long Sequence { get; init; }
    public required string TaskId { get; init; }
    public string? SubtaskId { get; init; }
    public required DateTimeOffset At { get; init; }
    public required HistoryEvent Event { get; init; }
    /// <summary>Status before, as stored (a task's or a subtask's); null for a creation.</summary>
    public string? FromStatus { get; init; }
    /// <summary>Status after; null for a removal.</summary>
    public string? ToStatus { get; init; }
    public IReadOnlyList<FieldChange> Changes { get; init; } = [];
    public required string Actor { get; init; }
    public required string Tool { get; init; }
}
