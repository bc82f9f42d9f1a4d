namespace Orchestrator.Orchestration.Storage;

// Rows as SQLite holds them: enums as snake_case text, times as Unix milliseconds, file paths (and other id lists)
// joined by newlines. OrchestrationMapper turns them into domain records and back.

internal sealed record SessionRow(string Id, string WorkingDirectory, long CreatedAt, long LastActiveAt);

internal sealed record TaskRow(string Id, string SessionId, string Title, string Description, string Status, string Complexity,
    string Priority, string? CancelReason, long CreatedAt, long UpdatedAt);

internal sealed record SubtaskRow(string Id, string TaskId, int Position, string Key, string Title, string Description, string Role,
    string Complexity, string? EstimatedEffort, string Status, string? ResultSummary, string? FilePaths, string? ArtifactType,
    string? NextAction, bool ReviewRequired, string? StatusReason, string? RevisionNotes, string? StaleInputs,
    int UnmetDependencies, int Dependants, long CreatedAt, long UpdatedAt);

internal sealed record ArtifactRow(string Id, string SubtaskId, string Type, string Content, long CreatedAt);
