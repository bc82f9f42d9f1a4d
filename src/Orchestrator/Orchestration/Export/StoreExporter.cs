using Microsoft.Data.Sqlite;
using Orchestrator.Orchestration.Storage;

namespace Orchestrator.Orchestration.Export;

/// <summary>
/// Reads the store (or one session of it) into an <see cref="ExportDocument"/>, in one read transaction so that the
/// rows agree with each other. Rows come in the order they were stored (creation time, then insertion order), which an
/// import keeps: exporting what was imported gives the same document.
/// </summary>
internal static class StoreExporter
{
    public static ExportDocument Read(Sql sql, string? sessionId, DateTimeOffset now, string serverVersion)
    {
        var session = ("$session", (object?)sessionId);
        const string InSession = "($session IS NULL OR t.session_id = $session)";
        var tags = sql.List(r => (Task: r.GetString(0), Tag: r.GetString(1)),
            $"SELECT g.task_id, g.tag FROM task_tags g JOIN tasks t ON t.id = g.task_id WHERE {InSession} ORDER BY g.task_id, g.tag", session)
            .ToLookup(g => g.Task, g => g.Tag, StringComparer.Ordinal);
        return new ExportDocument
        {
            Format = ExportDocument.FormatName,
            Version = ExportDocument.CurrentVersion,
            ExportedAt = now,
            ServerVersion = serverVersion,
            SessionId = sessionId,
            Sessions = sql.List(r => new ExportSession
            {
                Id = r.GetString(0), WorkingDirectory = r.GetString(1), CreatedAt = Time(r, 2), LastActiveAt = Time(r, 3),
            }, "SELECT id, working_directory, created_at_ms, last_active_ms FROM sessions WHERE $session IS NULL OR id = $session ORDER BY created_at_ms, rowid", session),
            Tasks = sql.List(r => new ExportTask
            {
                Id = r.GetString(0), SessionId = r.GetString(1), Title = r.GetString(2), Description = r.GetString(3), Status = r.GetString(4),
                Complexity = r.GetString(5), Priority = r.GetString(6), CancelReason = Sql.NullableString(r, 7), CreatedAt = Time(r, 8), UpdatedAt = Time(r, 9),
                Tags = tags[r.GetString(0)].ToList(),
            }, $"""
                SELECT t.id, t.session_id, t.title, t.description, t.status, t.complexity, t.priority, t.cancel_reason, t.created_at_ms, t.updated_at_ms
                FROM tasks t WHERE {InSession} ORDER BY t.created_at_ms, t.rowid
                """, session),
            Subtasks = sql.List(r => new ExportSubtask
            {
                Id = r.GetString(0), TaskId = r.GetString(1), Position = r.GetInt32(2), Key = r.GetString(3), Title = r.GetString(4),
                Description = r.GetString(5), Role = r.GetString(6), Complexity = r.GetString(7), EstimatedEffort = Sql.NullableString(r, 8),
                Status = r.GetString(9), ReviewRequired = r.GetInt64(10) != 0, StatusReason = Sql.NullableString(r, 11), RevisionNotes = Sql.NullableString(r, 12),
                StaleInputs = Lines(r, 13), ResultSummary = Sql.NullableString(r, 14), FilePaths = Lines(r, 15), ArtifactType = Sql.NullableString(r, 16),
                NextAction = Sql.NullableString(r, 17), CreatedAt = Time(r, 18), UpdatedAt = Time(r, 19),
            }, $"""
                SELECT s.id, s.task_id, s.position, s.key, s.title, s.description, s.role, s.complexity, s.estimated_effort, s.status,
                    s.review_required, s.status_reason, s.revision_notes, s.stale_inputs, s.result_summary, s.file_paths, s.artifact_type,
                    s.next_action, s.created_at_ms, s.updated_at_ms
                FROM subtasks s JOIN tasks t ON t.id = s.task_id WHERE {InSession} ORDER BY t.created_at_ms, t.rowid, s.position
                """, session),
            Dependencies = sql.List(r => new ExportDependency { SubtaskId = r.GetString(0), DependsOnId = r.GetString(1) }, $"""
                SELECT d.subtask_id, d.depends_on_id FROM subtask_dependencies d JOIN subtasks s ON s.id = d.subtask_id
                JOIN subtasks dep ON dep.id = d.depends_on_id JOIN tasks t ON t.id = s.task_id
                WHERE {InSession} ORDER BY t.created_at_ms, t.rowid, s.position, dep.position
                """, session),
            Artifacts = sql.List(r => new ExportArtifact
            {
                Id = r.GetString(0), SubtaskId = r.GetString(1), Type = r.GetString(2), Content = r.GetString(3), CreatedAt = Time(r, 4),
            }, $"""
                SELECT a.id, a.subtask_id, a.type, a.content, a.created_at_ms FROM artifacts a JOIN subtasks s ON s.id = a.subtask_id
                JOIN tasks t ON t.id = s.task_id WHERE {InSession} ORDER BY a.created_at_ms, a.rowid
                """, session),
            History = sql.List(r => new ExportHistoryEntry
            {
                TaskId = r.GetString(0), SubtaskId = Sql.NullableString(r, 1), At = Time(r, 2), Event = r.GetString(3), From = Sql.NullableString(r, 4),
                To = Sql.NullableString(r, 5), Changes = Changes(Sql.NullableString(r, 6)), Actor = r.GetString(7), Tool = r.GetString(8),
            }, $"""
                SELECT h.task_id, h.subtask_id, h.at_ms, h.event, h.from_status, h.to_status, h.changes, h.actor, h.tool
                FROM task_history h JOIN tasks t ON t.id = h.task_id WHERE {InSession} ORDER BY h.id
                """, session),
        };
    }

    private static DateTimeOffset Time(SqliteDataReader r, int ordinal) => DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(ordinal));

    private static List<string> Lines(SqliteDataReader r, int ordinal) => Sql.NullableString(r, ordinal) is { Length: > 0 } joined ? [.. joined.Split('\n')] : [];

    private static List<ExportFieldChange>? Changes(string? json) => json is null ? null
        : HistoryRepository.ParseChanges(json).Select(c => new ExportFieldChange { Field = c.Field, From = c.From, To = c.To }).ToList();
}
