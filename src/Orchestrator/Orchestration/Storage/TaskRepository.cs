using System.Text;
using Microsoft.Data.Sqlite;
using static Orchestrator.Orchestration.OrchestrationMapper;

namespace Orchestrator.Orchestration.Storage;

/// <summary>Tasks. Every list is ordered by update time (newest first, id breaking ties) and read through an index in that order.</summary>
internal static class TaskRepository
{
    private const string Columns = "id, session_id, title, description, status, complexity, priority, cancel_reason, created_at_ms, updated_at_ms";

    /// <summary>The statuses of a task whose work is not over.</summary>
    public static readonly TaskState[] OpenStates = [TaskState.Planned, TaskState.InProgress, TaskState.Failed, TaskState.Blocked];

    /// <summary>A task with its tags.</summary>
    public static WorkTask? Get(Sql sql, string id)
    {
        var task = sql.List(Read, $"SELECT {Columns} FROM tasks WHERE id = $id", ("$id", id)).FirstOrDefault();
        return task is null ? null : task with { Tags = TagRepository.Of(sql, [id])[id] };
    }

    /// <summary>Stores the task's row and its tags.</summary>
    public static void Insert(Sql sql, WorkTask task)
    {
        var row = ToRow(task);
        sql.Execute($"""
            INSERT INTO tasks ({Columns}) VALUES ($id, $session, $title, $description, $status, $complexity, $priority, $reason, $created, $updated)
            """,
            ("$id", row.Id), ("$session", row.SessionId), ("$title", row.Title), ("$description", row.Description), ("$status", row.Status),
            ("$complexity", row.Complexity), ("$priority", row.Priority), ("$reason", row.CancelReason), ("$created", row.CreatedAt),
            ("$updated", row.UpdatedAt));
        if (task.Tags.Count > 0) TagRepository.Replace(sql, task.Id, task.Tags);
    }

    /// <summary>Writes the mutable fields of <paramref name="task"/> (everything but its id, session, creation time and tags).</summary>
    public static void Update(Sql sql, WorkTask task)
    {
        var row = ToRow(task);
        sql.Execute("""
            UPDATE tasks SET title = $title, description = $description, status = $status, complexity = $complexity, priority = $priority,
                cancel_reason = $reason, updated_at_ms = $updated
            WHERE id = $id
            """,
            ("$id", row.Id), ("$title", row.Title), ("$description", row.Description), ("$status", row.Status),
            ("$complexity", row.Complexity), ("$priority", row.Priority), ("$reason", row.CancelReason), ("$updated", row.UpdatedAt));
    }

    /// <summary>What a list of tasks may be restricted to; null or empty means any.</summary>
    public sealed record Filter(IReadOnlyList<TaskState>? Statuses, string? SessionId, Priority? Priority = null, IReadOnlyList<string>? Tags = null);

    /// <summary>
    /// One page of tasks matching every given filter, plus whether more follow (one extra row is read instead of a
    /// count, which would scan every match).
    /// </summary>
    public static (List<WorkTask> Tasks, bool HasMore) Page(Sql sql, Filter filter, int limit, int offset)
    {
        var (where, parameters) = Where(filter, "");
        parameters.Add(("$limit", limit + 1));
        parameters.Add(("$offset", offset));
        var tasks = sql.List(Read, $"SELECT {Columns} FROM tasks{(where.Length == 0 ? "" : " WHERE " + where)} ORDER BY updated_at_ms DESC, id DESC LIMIT $limit OFFSET $offset",
            parameters.ToArray());
        var hasMore = tasks.Count > limit;
        if (hasMore) tasks.RemoveAt(limit);
        return (WithTags(sql, tasks), hasMore);
    }

    /// <summary>The conditions of <paramref name="filter"/> on the tasks table (aliased <paramref name="alias"/>), and their parameters.</summary>
    public static (string Where, List<(string, object?)> Parameters) Where(Filter filter, string alias)
    {
        var where = new StringBuilder();
        var parameters = new List<(string, object?)>();
        void And(string clause) => where.Append(where.Length == 0 ? "" : " AND ").Append(clause);
        if (filter.SessionId is not null)
        {
            And($"{alias}session_id = $session");
            parameters.Add(("$session", filter.SessionId));
        }
        if (filter.Statuses is { Count: > 0 } statuses)
        {
            var names = new List<string>();
            for (var i = 0; i < statuses.Count; i++)
            {
                names.Add("$status" + i);
                parameters.Add(("$status" + i, ToDb(statuses[i])));
            }
            And(statuses.Count == 1 ? $"{alias}status = {names[0]}" : $"{alias}status IN ({string.Join(", ", names)})");
        }
        if (filter.Priority is { } priority)
        {
            And($"{alias}priority = $priority");
            parameters.Add(("$priority", ToDb(priority)));
        }
        if (filter.Tags is { Count: > 0 } tags)
        {
            // Every tag must be present: one lookup in the (task_id, tag) key per tag.
            for (var i = 0; i < tags.Count; i++)
            {
                And($"EXISTS (SELECT 1 FROM task_tags WHERE task_id = {alias}id AND tag = $tag{i})");
                parameters.Add(("$tag" + i, tags[i]));
            }
        }
        return (where.ToString(), parameters);
    }

    /// <summary>The tasks with the given ids that exist, with their tags, in no particular order.</summary>
    public static List<WorkTask> Many(Sql sql, IReadOnlyCollection<string> ids)
    {
        if (ids.Count == 0) return [];
        var (names, parameters) = Sql.InList("$t", ids);
        return WithTags(sql, sql.List(Read, $"SELECT {Columns} FROM tasks WHERE id IN ({names})", parameters));
    }

    public static int CountActive(Sql sql, string sessionId) => (int)sql.Scalar(
        "SELECT count(*) FROM tasks WHERE session_id = $session AND status IN ('planned', 'in_progress', 'failed', 'blocked')", ("$session", sessionId));

    private static List<WorkTask> WithTags(Sql sql, List<WorkTask> tasks)
    {
        var tags = TagRepository.Of(sql, tasks.Select(t => t.Id).ToList());
        return tasks.Select(t => t with { Tags = tags[t.Id] }).ToList();
    }

    public static WorkTask Read(SqliteDataReader r) => ToDomain(new TaskRow(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3),
        r.GetString(4), r.GetString(5), r.GetString(6), Sql.NullableString(r, 7), r.GetInt64(8), r.GetInt64(9)));
}
