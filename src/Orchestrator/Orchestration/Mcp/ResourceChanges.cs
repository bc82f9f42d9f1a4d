using Orchestrator.Orchestration.Storage;
using Orchestrator.Storage;

namespace Orchestrator.Orchestration.Mcp;

/// <summary>
/// Which subscribed resources changed, read from the task history: every change to a task or subtask writes a row
/// there in its own transaction, so the table's largest id is a change mark, and the rows past a mark say what moved.
/// One indexed read of the largest id when nothing changed (the primary key): cheap enough to poll.
/// </summary>
internal sealed class ResourceChanges(Database database)
{
    /// <summary>Rows read per poll at most; the rest is read at the next poll (the mark only moves past what was read).</summary>
    private const int RowsPerPoll = 10_000;

    public long Mark() => database.Read(static c => new Sql(c, null).Scalar("SELECT coalesce(max(id), 0) FROM task_history"));

    /// <summary>The URIs of <paramref name="subscribed"/> that changed after <paramref name="after"/>; <paramref name="mark"/>: where the next look starts.</summary>
    public List<string> Changed(long after, IReadOnlyCollection<string> subscribed, out long mark)
    {
        var found = new List<string>();
        var newMark = after;
        database.Read(c =>
        {
            var sql = new Sql(c, null);
            if (sql.Scalar("SELECT coalesce(max(id), 0) FROM task_history") <= after) return 0;
            var tasks = new HashSet<string>(StringComparer.Ordinal);
            var subtasks = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (id, task, subtask) in sql.List(static r => (r.GetInt64(0), r.GetString(1), Sql.NullableString(r, 2)),
                "SELECT id, task_id, subtask_id FROM task_history WHERE id > $after ORDER BY id LIMIT $n", ("$after", after), ("$n", RowsPerPoll)))
            {
                newMark = id;
                tasks.Add(task);
                if (subtask is not null) subtasks.Add(subtask);
            }
            foreach (var uri in subscribed)
            {
                if (ResourceUri.Parse(uri, out _) is not { } parsed) continue;
                var changed = parsed.Kind switch
                {
                    ResourceKind.Task => tasks.Contains(parsed.Id),
                    ResourceKind.Subtask => subtasks.Contains(parsed.Id),
                    // An artifact is written once; what it belongs to changing (its subtask redone, reviewed) is its change.
                    ResourceKind.Artifact => sql.List(static r => r.GetString(0), "SELECT subtask_id FROM artifacts WHERE id = $id", ("$id", parsed.Id))
                        is [var owner] && subtasks.Contains(owner),
                    // The lists: any change may move a task in or out of them.
                    ResourceKind.OpenTasks or ResourceKind.ReadySubtasks or ResourceKind.SessionTasks => tasks.Count > 0,
                    _ => false,
                };
                if (changed) found.Add(uri);
            }
            return 0;
        });
        mark = newMark;
        return found;
    }
}
