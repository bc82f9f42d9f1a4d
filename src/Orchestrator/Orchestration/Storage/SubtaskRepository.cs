using System.Text;
using Microsoft.Data.Sqlite;
using Orchestrator.Orchestration.Contract;
using static Orchestrator.Orchestration.OrchestrationMapper;

namespace Orchestrator.Orchestration.Storage;

/// <summary>Subtasks and the dependency edges between siblings.</summary>
internal static class SubtaskRepository
{
    private const string Columns = "id, task_id, position, key, title, description, role, complexity, estimated_effort, status, "
        + "result_summary, file_paths, artifact_type, next_action, created_at_ms, updated_at_ms";

    public static Subtask? Get(Sql sql, string id)
    {
        var subtask = sql.List(Read, $"SELECT {Columns} FROM subtasks WHERE id = $id", ("$id", id)).FirstOrDefault();
        return subtask is null ? null : subtask with { DependsOn = sql.List(r => r.GetString(0),
            // Dependencies are listed in plan order (the depended-on subtask's position), never in the order of their random ids.
            """
            SELECT d.depends_on_id FROM subtask_dependencies d JOIN subtasks dep ON dep.id = d.depends_on_id
            WHERE d.subtask_id = $id ORDER BY dep.position
            """, ("$id", id)) };
    }

    /// <summary>Every subtask of a task in plan order, with its dependencies.</summary>
    public static List<Subtask> OfTask(Sql sql, string taskId)
    {
        var subtasks = sql.List(Read, $"SELECT {Columns} FROM subtasks WHERE task_id = $task ORDER BY position", ("$task", taskId));
        var edges = sql.List(r => (r.GetString(0), r.GetString(1)), """
            SELECT d.subtask_id, d.depends_on_id FROM subtasks s JOIN subtask_dependencies d ON d.subtask_id = s.id
            JOIN subtasks dep ON dep.id = d.depends_on_id
            WHERE s.task_id = $task ORDER BY d.subtask_id, dep.position
            """, ("$task", taskId));
        var byId = edges.ToLookup(e => e.Item1, e => e.Item2);
        return subtasks.Select(s => s with { DependsOn = byId[s.Id].ToList() }).ToList();
    }

    /// <summary>Stores the subtask's row; its dependencies are stored by <see cref="InsertDependencies"/>.</summary>
    public static void Insert(Sql sql, Subtask subtask)
    {
        var row = ToRow(subtask);
        sql.Execute($"""
            INSERT INTO subtasks ({Columns}) VALUES ($id, $task, $position, $key, $title, $description, $role, $complexity, $effort,
                $status, $summary, $paths, $artifact, $next, $created, $updated)
            """,
            ("$id", row.Id), ("$task", row.TaskId), ("$position", row.Position), ("$key", row.Key), ("$title", row.Title),
            ("$description", row.Description), ("$role", row.Role), ("$complexity", row.Complexity), ("$effort", row.EstimatedEffort),
            ("$status", row.Status), ("$summary", row.ResultSummary), ("$paths", row.FilePaths), ("$artifact", row.ArtifactType),
            ("$next", row.NextAction), ("$created", row.CreatedAt), ("$updated", row.UpdatedAt));
    }

    /// <summary>Stores the edges of <see cref="Subtask.DependsOn"/>; the subtasks on both ends must already be inserted (foreign keys).</summary>
    public static void InsertDependencies(Sql sql, Subtask subtask)
    {
        foreach (var dependency in subtask.DependsOn)
            sql.Execute("INSERT INTO subtask_dependencies (subtask_id, depends_on_id) VALUES ($id, $dep)", ("$id", subtask.Id), ("$dep", dependency));
    }

    /// <summary>Writes the fields a subtask's work changes: status, results and update time.</summary>
    public static void UpdateProgress(Sql sql, Subtask subtask)
    {
        var row = ToRow(subtask);
        sql.Execute("""
            UPDATE subtasks SET status = $status, result_summary = $summary, file_paths = $paths, artifact_type = $artifact,
                next_action = $next, updated_at_ms = $updated
            WHERE id = $id
            """,
            ("$id", row.Id), ("$status", row.Status), ("$summary", row.ResultSummary), ("$paths", row.FilePaths),
            ("$artifact", row.ArtifactType), ("$next", row.NextAction), ("$updated", row.UpdatedAt));
    }

    /// <summary>Subtask counts by status for each of <paramref name="taskIds"/> (through the (task_id, position) index).</summary>
    public static Dictionary<string, TaskProgress> Progress(Sql sql, IReadOnlyCollection<string> taskIds)
    {
        var result = new Dictionary<string, TaskProgress>(StringComparer.Ordinal);
        if (taskIds.Count == 0) return result;
        var names = new StringBuilder();
        var parameters = new (string, object?)[taskIds.Count];
        var i = 0;
        foreach (var id in taskIds)
        {
            if (i > 0) names.Append(", ");
            names.Append("$t").Append(i);
            parameters[i] = ("$t" + i, id);
            i++;
        }
        var counts = sql.List(r => (Task: r.GetString(0), Status: ToSubtaskStatus(r.GetString(1)), Count: r.GetInt32(2)),
            $"SELECT task_id, status, count(*) FROM subtasks WHERE task_id IN ({names}) GROUP BY task_id, status", parameters);
        foreach (var id in taskIds) result[id] = ProgressOf(counts.Where(c => c.Task == id).Select(c => (c.Status, c.Count)));
        return result;
    }

    public static TaskProgress ProgressOf(IEnumerable<(SubtaskStatus Status, int Count)> counts)
    {
        int pending = 0, inProgress = 0, suspended = 0, completed = 0, cancelled = 0;
        foreach (var (status, count) in counts)
        {
            switch (status)
            {
                case SubtaskStatus.Pending: pending += count; break;
                case SubtaskStatus.InProgress: inProgress += count; break;
                case SubtaskStatus.Suspended: suspended += count; break;
                case SubtaskStatus.Completed: completed += count; break;
                case SubtaskStatus.Cancelled: cancelled += count; break;
            }
        }
        var total = pending + inProgress + suspended + completed + cancelled;
        var counted = total - cancelled;
        return new TaskProgress
        {
            Total = total, Pending = pending, InProgress = inProgress, Suspended = suspended, Completed = completed, Cancelled = cancelled,
            Percent = counted == 0 ? 0 : Math.Round(100.0 * completed / counted, 1),
        };
    }

    public static int Count(Sql sql, SubtaskStatus status) =>
        (int)sql.Scalar("SELECT count(*) FROM subtasks WHERE status = $status", ("$status", ToDb(status)));

    /// <summary>Ids of the subtasks in <paramref name="status"/>, through the status index.</summary>
    public static List<string> IdsIn(Sql sql, SubtaskStatus status) =>
        sql.List(r => r.GetString(0), "SELECT id FROM subtasks WHERE status = $status ORDER BY id", ("$status", ToDb(status)));

    /// <summary>Moves one subtask from <paramref name="from"/> to <paramref name="to"/>; false when it was not in <paramref name="from"/>.</summary>
    public static bool Transition(Sql sql, string id, SubtaskStatus from, SubtaskStatus to, DateTimeOffset now) =>
        sql.Execute("UPDATE subtasks SET status = $to, updated_at_ms = $now WHERE id = $id AND status = $from",
            ("$id", id), ("$from", ToDb(from)), ("$to", ToDb(to)), ("$now", now.ToUnixTimeMilliseconds())) == 1;

    private static Subtask Read(SqliteDataReader r) => ToDomain(new SubtaskRow(r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetString(3),
        r.GetString(4), r.GetString(5), r.GetString(6), r.GetString(7), Sql.NullableString(r, 8), r.GetString(9), Sql.NullableString(r, 10),
        Sql.NullableString(r, 11), Sql.NullableString(r, 12), Sql.NullableString(r, 13), r.GetInt64(14), r.GetInt64(15)));
}
