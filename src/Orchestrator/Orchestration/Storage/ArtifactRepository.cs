using static Orchestrator.Orchestration.OrchestrationMapper;

namespace Orchestrator.Orchestration.Storage;

/// <summary>
/// Artifacts: the detailed work of completed subtasks, up to a million characters each. Answers never load one whole:
/// they read its length and its beginning (<see cref="Excerpts"/>), and <c>orchestrator_read_text</c> reads it in pages
/// (<see cref="Page"/>). Lengths and offsets count characters as SQLite does, in Unicode code points.
/// </summary>
internal static class ArtifactRepository
{
    public static void Insert(Sql sql, Artifact artifact)
    {
        var row = ToRow(artifact);
        sql.Execute("INSERT INTO artifacts (id, subtask_id, type, content, created_at_ms) VALUES ($id, $subtask, $type, $content, $created)",
            ("$id", row.Id), ("$subtask", row.SubtaskId), ("$type", row.Type), ("$content", row.Content), ("$created", row.CreatedAt));
    }

    /// <summary>The beginning of an artifact's content, and how long all of it is.</summary>
    public sealed record Excerpt(string Id, string SubtaskId, string Text, int Length);

    /// <summary>The latest artifact of each given subtask that has one (a subtask completes once per execution), its first <paramref name="characters"/> only.</summary>
    public static Dictionary<string, Excerpt> Excerpts(Sql sql, IEnumerable<string> subtaskIds, int characters)
    {
        var result = new Dictionary<string, Excerpt>(StringComparer.Ordinal);
        foreach (var id in subtaskIds)
        {
            var excerpt = sql.List(r => new Excerpt(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt32(3)),
                """
                SELECT id, subtask_id, substr(content, 1, $n), length(content) FROM artifacts WHERE subtask_id = $id
                ORDER BY created_at_ms DESC, id DESC LIMIT 1
                """, ("$id", id), ("$n", characters)).FirstOrDefault();
            if (excerpt is not null) result[id] = excerpt;
        }
        return result;
    }

    /// <summary>The latest artifact id of a subtask, or null.</summary>
    public static string? LatestId(Sql sql, string subtaskId) =>
        sql.List(r => r.GetString(0), "SELECT id FROM artifacts WHERE subtask_id = $id ORDER BY created_at_ms DESC, id DESC LIMIT 1",
            ("$id", subtaskId)).FirstOrDefault();

    public static bool AnyOf(Sql sql, string subtaskId) =>
        sql.Scalar("SELECT EXISTS (SELECT 1 FROM artifacts WHERE subtask_id = $id)", ("$id", subtaskId)) != 0;

    /// <summary>One page of an artifact: <paramref name="count"/> characters from <paramref name="offset"/>, with the total length and its subtask; null when unknown.</summary>
    public static (string Text, int Length, string SubtaskId)? Page(Sql sql, string id, int offset, int count) =>
        sql.List(r => (r.GetString(0), r.GetInt32(1), r.GetString(2)),
            "SELECT substr(content, $from, $count), length(content), subtask_id FROM artifacts WHERE id = $id",
            ("$id", id), ("$from", (long)offset + 1), ("$count", count)).Select(page => ((string, int, string)?)page).FirstOrDefault();
}
