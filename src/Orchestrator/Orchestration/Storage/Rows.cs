namespace Orchestrator.Orchestration.Storage;

// Rows as SQLite holds them: enums as snake_case text, times as Unix milliseconds, file paths joined by newlines.
// OrchestrationMapper turns them into domain records and back.

internal sealed record SessionRow(string Id, string WorkingDirectory, long CreatedAt, long LastActiveAt);

internal sealed record TaskRow(string Id, string SessionId, string Title, string Description, string Status, string Complexity,
    string? CancelReason, long CreatedAt, long UpdatedAt);

internal sealed record SubtaskRow(string Id, string TaskId, int Position, string Key, string Title, string Description, string Role,
    string Complexity, string? EstimatedEffort, string Status, string? ResultSummary, string? FilePaths, string? ArtifactType,
    string? NextAction, long CreatedAt, long UpdatedAt);

internal sealed record ArtifactRow(string Id, string SubtaskId, string Type, string Content, long CreatedAt);
