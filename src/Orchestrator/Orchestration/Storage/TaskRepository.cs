using System.Text;
using Microsoft.Data.Sqlite;
using static Orchestrator.Orchestration.OrchestrationMapper;

namespace Orchestrator.Orchestration.Storage;

/// <summary>Tasks. Every list is ordered by update time (newest first, id breaking ties) and read through an index in that order.</summary>
internal static class TaskRepository
{
    private const string Columns = "id, session_id, title, description, status, complexity, cancel_reason, created_at_ms, updated_at_ms";

    public static WorkTask? Get(Sql sql, string id) =>
        sql.List(Read, $"SELECT {Columns} FROM tasks WHERE id = $id", ("$id", id)).FirstOrDefault();

    public static void Insert(Sql sql, WorkTask task)
    {
        var row = ToRow(task);
        sql.Execute($"INSERT INTO tasks ({Columns}) VALUES ($id, $session, $title, $description, $status, $complexity, $reason, $created, $updated)",
            ("$id", row.Id), ("$session", row.SessionId), ("$title", row.Title), ("$description", row.Description), ("$status", row.Status),
            ("$complexity", row.Complexity), ("$reason", row.CancelReason), ("$created", row.CreatedAt), ("$updated", row.UpdatedAt));
    }

    /// <summary>Writes the mutable fields of <paramref name="task"/> (everything but its id, session and creation time).</summary>
    public static void Update(Sql sql, WorkTask task)
    {
        var row = ToRow(task);
        sql.Execute("""
            UPDATE tasks SET title = $title, description = $description, status = $status, complexity = $complexity,
                cancel_reason = $reason, updated_at_ms = $updated
            WHERE id = $id
            """,
            ("$id", row.Id), ("$title", row.Title), ("$description", row.Description), ("$status", row.Status),
            ("$complexity", row.Complexity), ("$reason", row.CancelReason), ("$updated", row.UpdatedAt));
    }

    /// <summary>
    /// One page of tasks matching every given filter, plus whether more follow (one extra row is read instead of a
    /// count, which would scan every match). A text filter scans candidates in update order and stops at the page's end.
    /// </summary>
    public static (List<WorkTask> Tasks, bool HasMore) Page(Sql sql, IReadOnlyList<TaskState>? statuses, string? sessionId, string? text, int limit, int offset)
    {
        var where = new StringBuilder();
        var parameters = new List<(string, object?)>();
        void And(string clause) => where.Append(where.Length == 0 ? " WHERE " : " AND ").Append(clause);
        if (sessionId is not null)
        {
            And("session_id = $session");
            parameters.Add(("$session", sessionId));
        }
        if (statuses is { Count: > 0 })
        {
            var names = new List<string>();
            for (var i = 0; i < statuses.Count; i++)
            {
                names.Add("$status" + i);
                parameters.Add(("$status" + i, ToDb(statuses[i])));
            }
            And(statuses.Count == 1 ? $"status = {names[0]}" : $"status IN ({string.Join(", ", names)})");
        }
        if (!string.IsNullOrEmpty(text))
        {
            And(@"(title LIKE $text ESCAPE '\' OR description LIKE $text ESCAPE '\')");
            parameters.Add(("$text", "%" + text.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_") + "%"));
        }
        parameters.Add(("$limit", limit + 1));
        parameters.Add(("$offset", offset));
        var tasks = sql.List(Read, $"SELECT {Columns} FROM tasks{where} ORDER BY updated_at_ms DESC, id DESC LIMIT $limit OFFSET $offset",
            parameters.ToArray());
        var hasMore = tasks.Count > limit;
        if (hasMore) tasks.RemoveAt(limit);
        return (tasks, hasMore);
    }

    public static int CountActive(Sql sql, string sessionId) => (int)sql.Scalar(
        "SELECT count(*) FROM tasks WHERE session_id = $session AND status IN ('planned', 'in_progress')", ("$session", sessionId));

    private static WorkTask Read(SqliteDataReader r) => ToDomain(new TaskRow(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3),
        r.GetString(4), r.GetString(5), Sql.NullableString(r, 6), r.GetInt64(7), r.GetInt64(8)));
}
