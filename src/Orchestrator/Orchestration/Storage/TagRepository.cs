namespace Orchestrator.Orchestration.Storage;

/// <summary>Task tags: one row per (task, tag), read back sorted; the (tag, task) index serves the tag filter.</summary>
internal static class TagRepository
{
    public static void Replace(Sql sql, string taskId, IReadOnlyList<string> tags)
    {
        sql.Execute("DELETE FROM task_tags WHERE task_id = $task", ("$task", taskId));
        foreach (var tag in tags) sql.Execute("INSERT INTO task_tags (task_id, tag) VALUES ($task, $tag)", ("$task", taskId), ("$tag", tag));
    }

    /// <summary>The tags of each of <paramref name="taskIds"/> (an empty list for a task without tags).</summary>
    public static Dictionary<string, IReadOnlyList<string>> Of(Sql sql, IReadOnlyCollection<string> taskIds)
    {
        var result = taskIds.Distinct(StringComparer.Ordinal).ToDictionary(id => id, _ => (IReadOnlyList<string>)[], StringComparer.Ordinal);
        if (taskIds.Count == 0) return result;
        var (names, parameters) = Sql.InList("$t", taskIds);
        foreach (var group in sql.List(r => (Task: r.GetString(0), Tag: r.GetString(1)),
                     $"SELECT task_id, tag FROM task_tags WHERE task_id IN ({names}) ORDER BY task_id, tag", parameters).GroupBy(t => t.Task))
            result[group.Key] = group.Select(t => t.Tag).ToList();
        return result;
    }
}
