namespace Orchestrator.Orchestration.Export;

// The export file, version 1: every row the task store keeps, table by table, so that an import can check each
// reference before it writes anything. Texts are whole (an export is lossless); statuses, priorities, complexities and
// artifact types are the wire names the tools use; times are ISO 8601 to the millisecond (what the store keeps).
// Derived values (readiness counts, the search index, a subtask's copy of its task's session and priority) are not
// exported: an import computes them again. A reader ignores fields it does not know, so that later versions of this
// build can add optional ones (e.g. a lease's holder) without a new version; a field that changes meaning needs one.

/// <summary>The whole export: its format and version first, then the rows.</summary>
public sealed record ExportDocument
{
    public const string FormatName = "orchestrator-export";
    public const int CurrentVersion = 1;

    public required string Format { get; init; }
    public required int Version { get; init; }
    public DateTimeOffset? ExportedAt { get; init; }
    /// <summary>The build that wrote it.</summary>
    public string? ServerVersion { get; init; }
    /// <summary>The one session exported, or null for the whole store.</summary>
    public string? SessionId { get; init; }
    public required IReadOnlyList<ExportSession> Sessions { get; init; }
    public required IReadOnlyList<ExportTask> Tasks { get; init; }
    /// <summary>In their tasks' order, each task's in plan order.</summary>
    public required IReadOnlyList<ExportSubtask> Subtasks { get; init; }
    public required IReadOnlyList<ExportDependency> Dependencies { get; init; }
    public required IReadOnlyList<ExportArtifact> Artifacts { get; init; }
    /// <summary>Oldest first, in the order recorded.</summary>
    public required IReadOnlyList<ExportHistoryEntry> History { get; init; }
}

public sealed record ExportSession
{
    public required string Id { get; init; }
    public required string WorkingDirectory { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset LastActiveAt { get; init; }
}

public sealed record ExportTask
{
    public required string Id { get; init; }
    public required string SessionId { get; init; }
    public required string Title { get; init; }
    public required string Description { get; init; }
    public required string Status { get; init; }
    public required string Complexity { get; init; }
    public required string Priority { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public string? CancelReason { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
}

public sealed record ExportSubtask
{
    public required string Id { get; init; }
    public required string TaskId { get; init; }
    public required int Position { get; init; }
    public required string Key { get; init; }
    public required string Title { get; init; }
    public required string Description { get; init; }
    public required string Role { get; init; }
    public required string Complexity { get; init; }
    public string? EstimatedEffort { get; init; }
    public required string Status { get; init; }
    public bool ReviewRequired { get; init; }
    public string? StatusReason { get; init; }
    public string? RevisionNotes { get; init; }
    /// <summary>Ids of dependencies reopened after this subtask consumed them.</summary>
    public IReadOnlyList<string> StaleInputs { get; init; } = [];
    public string? ResultSummary { get; init; }
    public IReadOnlyList<string> FilePaths { get; init; } = [];
    public string? ArtifactType { get; init; }
    public string? NextAction { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>An edge: <see cref="SubtaskId"/> waits for <see cref="DependsOnId"/> (a sibling) to complete.</summary>
public sealed record ExportDependency
{
    public required string SubtaskId { get; init; }
    public required string DependsOnId { get; init; }
}

public sealed record ExportArtifact
{
    public required string Id { get; init; }
    public required string SubtaskId { get; init; }
    public required string Type { get; init; }
    public required string Content { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}

public sealed record ExportHistoryEntry
{
    public required string TaskId { get; init; }
    /// <summary>Null for a change of the task itself; may name a subtask a revision removed since.</summary>
    public string? SubtaskId { get; init; }
    public required DateTimeOffset At { get; init; }
    public required string Event { get; init; }
    public string? From { get; init; }
    public string? To { get; init; }
    public IReadOnlyList<ExportFieldChange>? Changes { get; init; }
    public required string Actor { get; init; }
    public required string Tool { get; init; }
}

public sealed record ExportFieldChange
{
    public required string Field { get; init; }
    public string? From { get; init; }
    public string? To { get; init; }
}
