using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using static Orchestrator.Orchestration.OrchestrationMapper;

namespace Orchestrator.Orchestration.Storage;

/// <summary>
/// The history of tasks and subtasks (<c>task_history</c>): appended in the transaction of each change, read newest
/// first per task (or per subtask) through its indices. The fields a change altered are kept as a small JSON array,
/// written and read with the Utf8 writer and reader (no reflection).
/// </summary>
internal static class HistoryRepository
{
    private const string Columns = "id, task_id, subtask_id, at_ms, event, from_status, to_status, changes, actor, tool";

    public static void Insert(Sql sql, HistoryEntry entry) =>
        sql.Execute("""
            INSERT INTO task_history (task_id, subtask_id, at_ms, event, from_status, to_status, changes, actor, tool)
            VALUES ($task, $subtask, $at, $event, $from, $to, $changes, $actor, $tool)
            """,
            ("$task", entry.TaskId), ("$subtask", entry.SubtaskId), ("$at", entry.At.ToUnixTimeMilliseconds()), ("$event", ToDb(entry.Event)),
            ("$from", entry.FromStatus), ("$to", entry.ToStatus), ("$changes", entry.Changes.Count == 0 ? null : ChangesJson(entry.Changes)),
            ("$actor", entry.Actor), ("$tool", entry.Tool));

    /// <summary>
    /// Records a status move that a statement made without loading the subtask (a restart suspending or resuming work):
    /// the row takes the subtask's task from the store.
    /// </summary>
    public static void InsertMove(Sql sql, string subtaskId, SubtaskStatus from, SubtaskStatus to, DateTimeOffset at, Actor actor, string tool) =>
        sql.Execute("""
            INSERT INTO task_history (task_id, subtask_id, at_ms, event, from_status, to_status, actor, tool)
            SELECT task_id, id, $at, 'status_changed', $from, $to, $actor, $tool FROM subtasks WHERE id = $id
            """,
            ("$id", subtaskId), ("$at", at.ToUnixTimeMilliseconds()), ("$from", ToDb(from)), ("$to", ToDb(to)), ("$actor", actor.Name), ("$tool", tool));

    /// <summary>One page of a task's history (or of one of its subtasks), newest first, and whether more follow.</summary>
    public static (List<HistoryEntry> Entries, bool HasMore) Page(Sql sql, string taskId, string? subtaskId, int offset, int limit)
    {
        var entries = subtaskId is null
            ? sql.List(Read, $"SELECT {Columns} FROM task_history WHERE task_id = $task ORDER BY id DESC LIMIT $limit OFFSET $offset",
                ("$task", taskId), ("$limit", limit + 1), ("$offset", offset))
            : sql.List(Read, $"SELECT {Columns} FROM task_history WHERE subtask_id = $subtask AND task_id = $task ORDER BY id DESC LIMIT $limit OFFSET $offset",
                ("$task", taskId), ("$subtask", subtaskId), ("$limit", limit + 1), ("$offset", offset));
        var hasMore = entries.Count > limit;
        if (hasMore) entries.RemoveAt(limit);
        return (entries, hasMore);
    }

    /// <summary>Rows recorded for a task (or one of its subtasks).</summary>
    public static int Count(Sql sql, string taskId, string? subtaskId) => subtaskId is null
        ? (int)sql.Scalar("SELECT count(*) FROM task_history WHERE task_id = $task", ("$task", taskId))
        : (int)sql.Scalar("SELECT count(*) FROM task_history WHERE subtask_id = $subtask AND task_id = $task", ("$task", taskId), ("$subtask", subtaskId));

    /// <summary>Whether a subtask id appears in a task's history (it may have been removed from the plan since).</summary>
    public static bool Mentions(Sql sql, string taskId, string subtaskId) =>
        sql.Scalar("SELECT EXISTS (SELECT 1 FROM task_history WHERE subtask_id = $subtask AND task_id = $task)", ("$task", taskId), ("$subtask", subtaskId)) != 0;

    /// <summary>Every row of the given tasks, oldest first (an export keeps the order of recording).</summary>
    public static List<HistoryEntry> OfTask(Sql sql, string taskId) =>
        sql.List(Read, $"SELECT {Columns} FROM task_history WHERE task_id = $task ORDER BY id", ("$task", taskId));

    public static string ChangesJson(IReadOnlyList<FieldChange> changes)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var change in changes)
            {
                json.WriteStartObject();
                json.WriteString("field"u8, change.Field);
                json.WriteString("from"u8, change.From);
                json.WriteString("to"u8, change.To);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static List<FieldChange> ParseChanges(string? json)
    {
        if (json is null) return [];
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateArray().Select(c => new FieldChange(c.GetProperty("field"u8).GetString()!,
            c.GetProperty("from"u8).GetString(), c.GetProperty("to"u8).GetString())).ToList();
    }

    private static HistoryEntry Read(SqliteDataReader r) => new()
    {
        Sequence = r.GetInt64(0), TaskId = r.GetString(1), SubtaskId = Sql.NullableString(r, 2), At = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(3)),
        Event = ToHistoryEvent(r.GetString(4)), FromStatus = Sql.NullableString(r, 5), ToStatus = Sql.NullableString(r, 6),
        Changes = ParseChanges(Sql.NullableString(r, 7)), Actor = r.GetString(8), Tool = r.GetString(9),
    };
}
