using System.Text;
using Microsoft.Data.Sqlite;
using Orchestrator.Orchestration.Contract;
using static Orchestrator.Orchestration.OrchestrationMapper;

namespace Orchestrator.Orchestration.Storage;

/// <summary>
/// Subtasks and the dependency edges between siblings. Besides its own fields a row carries its task's session and
/// priority (<c>session_id</c>, <c>task_priority</c>), so that "next" reads ready subtasks straight from one index.
/// </summary>
internal static class SubtaskRepository
{
    private const string Columns = "id, task_id, position, key, title, description, role, complexity, estimated_effort, status, "
        + "result_summary, file_paths, artifact_type, next_action, review_required, status_reason, revision_notes, stale_inputs, "
        + "unmet_dependencies, dependants, created_at_ms, updated_at_ms";

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
    public static List<Subtask> OfTask(Sql sql, string taskId) => OfTask(sql, taskId, Columns);

    /// <summary>
    /// Every subtask of a task in plan order, with its dependencies but without its long texts: description, result
    /// summary, file paths, next action and revision notes read empty. What settling a task and listing references
    /// need, without reading up to 50 × 800 KB of file paths; never to be written back.
    /// </summary>
    public static List<Subtask> OutlineOfTask(Sql sql, string taskId) => OfTask(sql, taskId, OutlineColumns);

    private const string OutlineColumns = "id, task_id, position, key, title, '', role, complexity, estimated_effort, status, "
        + "NULL, NULL, artifact_type, NULL, review_required, status_reason, NULL, stale_inputs, "
        + "unmet_dependencies, dependants, created_at_ms, updated_at_ms";

    private static List<Subtask> OfTask(Sql sql, string taskId, string columns)
    {
        var subtasks = sql.List(Read, $"SELECT {columns} FROM subtasks WHERE task_id = $task ORDER BY position", ("$task", taskId));
        var edges = sql.List(r => (r.GetString(0), r.GetString(1)), """
            SELECT d.subtask_id, d.depends_on_id FROM subtasks s JOIN subtask_dependencies d ON d.subtask_id = s.id
            JOIN subtasks dep ON dep.id = d.depends_on_id
            WHERE s.task_id = $task ORDER BY d.subtask_id, dep.position
            """, ("$task", taskId));
        var byId = edges.ToLookup(e => e.Item1, e => e.Item2);
        return subtasks.Select(s => s with { DependsOn = byId[s.Id].ToList() }).ToList();
    }

    /// <summary>Stores the subtask's row (with its task's session and priority); its dependencies are stored by <see cref="InsertDependencies"/>.</summary>
    public static void Insert(Sql sql, Subtask subtask, WorkTask task)
    {
        var row = ToRow(subtask);
        sql.Execute($"""
            INSERT INTO subtasks ({Columns}, session_id, task_priority) VALUES ($id, $task, $position, $key, $title, $description, $role,
                $complexity, $effort, $status, $summary, $paths, $artifact, $next, $review, $reason, $notes, $stale, $unmet, $dependants,
                $created, $updated, $session, $priority)
            """,
            ("$id", row.Id), ("$task", row.TaskId), ("$position", row.Position), ("$key", row.Key), ("$title", row.Title),
            ("$description", row.Description), ("$role", row.Role), ("$complexity", row.Complexity), ("$effort", row.EstimatedEffort),
            ("$status", row.Status), ("$summary", row.ResultSummary), ("$paths", row.FilePaths), ("$artifact", row.ArtifactType),
            ("$next", row.NextAction), ("$review", row.ReviewRequired), ("$reason", row.StatusReason), ("$notes", row.RevisionNotes),
            ("$stale", row.StaleInputs), ("$unmet", row.UnmetDependencies), ("$dependants", row.Dependants),
            ("$created", row.CreatedAt), ("$updated", row.UpdatedAt), ("$session", task.SessionId), ("$priority", PriorityRank(task.Priority)));
    }

    /// <summary>Stores the edges of <see cref="Subtask.DependsOn"/>; the subtasks on both ends must already be inserted (foreign keys).</summary>
    public static void InsertDependencies(Sql sql, Subtask subtask)
    {
        foreach (var dependency in subtask.DependsOn)
            sql.Execute("INSERT INTO subtask_dependencies (subtask_id, depends_on_id) VALUES ($id, $dep)", ("$id", subtask.Id), ("$dep", dependency));
    }

    /// <summary>Replaces the dependency edges of <paramref name="subtask"/> with its <see cref="Subtask.DependsOn"/>.</summary>
    public static void ReplaceDependencies(Sql sql, Subtask subtask)
    {
        sql.Execute("DELETE FROM subtask_dependencies WHERE subtask_id = $id", ("$id", subtask.Id));
        InsertDependencies(sql, subtask);
    }

    /// <summary>Writes everything but the subtask's identity (id, task, creation time) and its dependency edges.</summary>
    public static void Update(Sql sql, Subtask subtask)
    {
        var row = ToRow(subtask);
        sql.Execute("""
            UPDATE subtasks SET position = $position, key = $key, title = $title, description = $description, role = $role,
                complexity = $complexity, estimated_effort = $effort, status = $status, result_summary = $summary, file_paths = $paths,
                artifact_type = $artifact, next_action = $next, review_required = $review, status_reason = $reason,
                revision_notes = $notes, stale_inputs = $stale, updated_at_ms = $updated
            WHERE id = $id
            """,
            ("$id", row.Id), ("$position", row.Position), ("$key", row.Key), ("$title", row.Title), ("$description", row.Description),
            ("$role", row.Role), ("$complexity", row.Complexity), ("$effort", row.EstimatedEffort), ("$status", row.Status),
            ("$summary", row.ResultSummary), ("$paths", row.FilePaths), ("$artifact", row.ArtifactType), ("$next", row.NextAction),
            ("$review", row.ReviewRequired), ("$reason", row.StatusReason), ("$notes", row.RevisionNotes), ("$stale", row.StaleInputs),
            ("$updated", row.UpdatedAt));
    }

    /// <summary>Flags a subtask whose inputs were reopened after it consumed them (see <see cref="Subtask.StaleInputs"/>).</summary>
    public static void SetStaleInputs(Sql sql, string id, IReadOnlyList<string> staleInputs, DateTimeOffset now) =>
        sql.Execute("UPDATE subtasks SET stale_inputs = $stale, updated_at_ms = $now WHERE id = $id",
            ("$id", id), ("$stale", staleInputs.Count == 0 ? null : string.Join('\n', staleInputs)), ("$now", now.ToUnixTimeMilliseconds()));

    /// <summary>Writes the counts "next" ranks by (see <see cref="TaskLifecycle"/>).</summary>
    public static void UpdateReadiness(Sql sql, string id, int unmetDependencies, int dependants) =>
        sql.Execute("UPDATE subtasks SET unmet_dependencies = $unmet, dependants = $dependants WHERE id = $id",
            ("$id", id), ("$unmet", unmetDependencies), ("$dependants", dependants));

    /// <summary>
    /// Moves every subtask of a task out of the way of (task_id, position)'s uniqueness, so that a revision can write the
    /// new positions in any order: each goes to minus its position.
    /// </summary>
    public static void ParkPositions(Sql sql, string taskId) =>
        sql.Execute("UPDATE subtasks SET position = -position WHERE task_id = $task", ("$task", taskId));

    /// <summary>Deletes a subtask that has no artifact, and its dependency edges (it may have none pointing to it any more).</summary>
    public static void Delete(Sql sql, string id)
    {
        sql.Execute("DELETE FROM subtask_dependencies WHERE subtask_id = $id", ("$id", id));
        sql.Execute("DELETE FROM subtasks WHERE id = $id", ("$id", id));
    }

    /// <summary>Copies a task's priority to its subtasks' rows (the ranking index reads it there).</summary>
    public static void SetTaskPriority(Sql sql, string taskId, Priority priority) =>
        sql.Execute("UPDATE subtasks SET task_priority = $priority WHERE task_id = $task", ("$task", taskId), ("$priority", PriorityRank(priority)));

    /// <summary>Subtask counts by status for each of <paramref name="taskIds"/> (through the (task_id, position) index).</summary>
    public static Dictionary<string, TaskProgress> Progress(Sql sql, IReadOnlyCollection<string> taskIds)
    {
        var result = new Dictionary<string, TaskProgress>(StringComparer.Ordinal);
        if (taskIds.Count == 0) return result;
        var (names, parameters) = Sql.InList("$t", taskIds);
        var counts = sql.List(r => (Task: r.GetString(0), Status: ToSubtaskStatus(r.GetString(1)), Count: r.GetInt32(2)),
            $"SELECT task_id, status, count(*) FROM subtasks WHERE task_id IN ({names}) GROUP BY task_id, status", parameters);
        foreach (var id in taskIds) result[id] = ProgressOf(counts.Where(c => c.Task == id).Select(c => (c.Status, c.Count)));
        return result;
    }

    public static TaskProgress ProgressOf(IEnumerable<(SubtaskStatus Status, int Count)> counts)
    {
        var by = new int[Enum.GetValues<SubtaskStatus>().Length];
        foreach (var (status, count) in counts) by[(int)status] += count;
        int Of(SubtaskStatus status) => by[(int)status];
        var total = by.Sum();
        var counted = total - Of(SubtaskStatus.Cancelled);
        return new TaskProgress
        {
            Total = total, Pending = Of(SubtaskStatus.Pending), InProgress = Of(SubtaskStatus.InProgress), Suspended = Of(SubtaskStatus.Suspended),
            Completed = Of(SubtaskStatus.Completed), Cancelled = Of(SubtaskStatus.Cancelled), Failed = Of(SubtaskStatus.Failed),
            Blocked = Of(SubtaskStatus.Blocked), NeedsRevision = Of(SubtaskStatus.NeedsRevision), NeedsReview = Of(SubtaskStatus.NeedsReview),
            Percent = counted == 0 ? 0 : Math.Round(100.0 * Of(SubtaskStatus.Completed) / counted, 1),
        };
    }

    public static int Count(Sql sql, SubtaskStatus status) =>
        (int)sql.Scalar("SELECT count(*) FROM subtasks WHERE status = $status", ("$status", ToDb(status)));

    /// <summary>Subtasks in <paramref name="status"/> in one session (through the status index, then the row's session).</summary>
    public static int CountInSession(Sql sql, SubtaskStatus status, string sessionId) =>
        (int)sql.Scalar("SELECT count(*) FROM subtasks WHERE status = $status AND session_id = $session",
            ("$status", ToDb(status)), ("$session", sessionId));

    /// <summary>Ids of the subtasks in <paramref name="status"/>, through the status index.</summary>
    public static List<string> IdsIn(Sql sql, SubtaskStatus status) =>
        sql.List(r => r.GetString(0), "SELECT id FROM subtasks WHERE status = $status ORDER BY id", ("$status", ToDb(status)));

    /// <summary>Moves one subtask from <paramref name="from"/> to <paramref name="to"/>; false when it was not in <paramref name="from"/>.</summary>
    public static bool Transition(Sql sql, string id, SubtaskStatus from, SubtaskStatus to, DateTimeOffset now) =>
        sql.Execute("UPDATE subtasks SET status = $to, updated_at_ms = $now WHERE id = $id AND status = $from",
            ("$id", id), ("$from", ToDb(from)), ("$to", ToDb(to)), ("$now", now.ToUnixTimeMilliseconds())) == 1;

    /// <summary>
    /// Ready subtasks (pending or needs_revision, no unmet dependency) ranked by their task's priority, then by how many
    /// unfinished subtasks wait on them, then oldest first (in plan order within a task): one range of the partial index <c>subtasks_ready</c> (or
    /// <c>subtasks_session_ready</c>), read in order, no sort.
    /// </summary>
    public static List<Subtask> Ready(Sql sql, string? sessionId, string? role, int limit)
    {
        var where = new StringBuilder("unmet_dependencies = 0 AND status IN ('pending', 'needs_revision')");
        var parameters = new List<(string, object?)> { ("$limit", limit) };
        if (sessionId is not null)
        {
            where.Append(" AND session_id = $session");
            parameters.Add(("$session", sessionId));
        }
        if (role is not null)
        {
            where.Append(" AND role = $role");
            parameters.Add(("$role", role));
        }
        return sql.List(Read, $"SELECT {Columns} FROM subtasks WHERE {where} ORDER BY task_priority DESC, dependants DESC, created_at_ms, task_id, position LIMIT $limit",
            parameters.ToArray());
    }

    /// <summary>The unfinished subtasks that depend on <paramref name="id"/>, in plan order.</summary>
    public static List<Subtask> WaitingOn(Sql sql, string id) =>
        sql.List(Read, $"""
            SELECT {string.Join(", ", Columns.Split(", ").Select(c => "w." + c))} FROM subtask_dependencies d JOIN subtasks w ON w.id = d.subtask_id
            WHERE d.depends_on_id = $id AND w.status NOT IN ('completed', 'cancelled') ORDER BY w.position
            """, ("$id", id));

    /// <summary>The rank that orders priorities in the ranking index (low 0 … critical 3).</summary>
    public static int PriorityRank(Priority priority) => (int)priority;

    private static Subtask Read(SqliteDataReader r) => ToDomain(new SubtaskRow(r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetString(3),
        r.GetString(4), r.GetString(5), r.GetString(6), r.GetString(7), Sql.NullableString(r, 8), r.GetString(9), Sql.NullableString(r, 10),
        Sql.NullableString(r, 11), Sql.NullableString(r, 12), Sql.NullableString(r, 13), r.GetInt64(14) != 0, Sql.NullableString(r, 15),
        Sql.NullableString(r, 16), Sql.NullableString(r, 17), r.GetInt32(18), r.GetInt32(19), r.GetInt64(20), r.GetInt64(21)));
}
