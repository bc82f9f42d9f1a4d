using static Orchestrator.Orchestration.OrchestrationMapper;

namespace Orchestrator.Orchestration.Storage;

/// <summary>Artifacts: the detailed work of completed subtasks.</summary>
internal static class ArtifactRepository
{
    public static void Insert(Sql sql, Artifact artifact)
    {
        var row = ToRow(artifact);
        sql.Execute("INSERT INTO artifacts (id, subtask_id, type, content, created_at_ms) VALUES ($id, $subtask, $type, $content, $created)",
            ("$id", row.Id), ("$subtask", row.SubtaskId), ("$type", row.Type), ("$content", row.Content), ("$created", row.CreatedAt));
    }

    /// <summary>The latest artifact of each given subtask (a subtask completes once, so in practice its only one).</summary>
    public static Dictionary<string, Artifact> LatestOf(Sql sql, IEnumerable<string> subtaskIds)
    {
        var result = new Dictionary<string, Artifact>(StringComparer.Ordinal);
        foreach (var id in subtaskIds)
        {
            var artifact = sql.List(r => ToDomain(new ArtifactRow(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt64(4))),
                "SELECT id, subtask_id, type, content, created_at_ms FROM artifacts WHERE subtask_id = $id ORDER BY created_at_ms DESC, id DESC LIMIT 1",
                ("$id", id)).FirstOrDefault();
            if (artifact is not null) result[id] = artifact;
        }
        return result;
    }
}
