using Orchestrator.Orchestration.Storage;
using Orchestrator.Storage;
using Orchestrator.Tooling;

namespace Orchestrator.Orchestration.Mcp;

/// <summary>
/// <c>completion/complete</c>: ids from the store for a prompt argument or a URI template variable, ids that start with
/// what was typed first, then ids that contain it, each group most recently updated first; at most 100 values, with
/// <c>total</c> when they are all of them and <c>hasMore</c> when there are more.
/// </summary>
internal sealed class CompletionSource(Database database)
{
    public const int MaxValues = 100;

    /// <summary>A prefix that names at least this many ids is served from the recency order rather than sorted (see below).</summary>
    private const int DenseRange = 2_000;

    public static CompletionKind ForTemplateVariable(string uriTemplate, string variable) => (uriTemplate, variable) switch
    {
        ("orchestrator://tasks/{task_id}", "task_id") => CompletionKind.TaskId,
        ("orchestrator://subtasks/{subtask_id}", "subtask_id") => CompletionKind.SubtaskId,
        ("orchestrator://artifacts/{artifact_id}", "artifact_id") => CompletionKind.ArtifactId,
        ("orchestrator://sessions/{session_id}/tasks", "session_id") => CompletionKind.SessionId,
        _ => CompletionKind.None,
    };

    public static CompletionKind ForPromptArgument(string prompt, string argument) =>
        PromptCatalog.Find(prompt)?.Arguments.FirstOrDefault(a => a.Name == argument)?.Completes ?? CompletionKind.None;

    public byte[] Complete(CompletionKind kind, string typed)
    {
        var (table, recency) = kind switch
        {
            CompletionKind.TaskId => ("tasks", "updated_at_ms"),
            CompletionKind.SubtaskId => ("subtasks", "updated_at_ms"),
            CompletionKind.ArtifactId => ("artifacts", "created_at_ms"),
            CompletionKind.SessionId => ("sessions", "last_active_ms"),
            _ => (null, null),
        };
        List<string> values = [];
        var more = false;
        if (table is not null && typed.Length <= 128)
        {
            (values, more) = database.Read(c =>
            {
                var sql = new Sql(c, null);
                // Ids that start with what was typed are a range of the primary key (any id that starts with it sorts below
                // it followed by U+10FFFF); one more than wanted says whether there are more. A range of a few ids is read
                // and sorted by recency; a range of most of the table ("task_") is better found walking the recency index
                // (tasks have one) and skipping what is outside it: "+id" keeps the planner off the primary key then.
                var above = typed + "\U0010FFFF";
                var dense = sql.Scalar($"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE id >= $typed AND id < $above LIMIT $dense)",
                    ("$typed", typed), ("$above", above), ("$dense", DenseRange)) >= DenseRange;
                var id = dense ? "+id" : "id";
                var found = sql.List(static r => r.GetString(0),
                    $"SELECT id FROM {table} WHERE {id} >= $typed AND {id} < $above ORDER BY {recency} DESC, id DESC LIMIT $n",
                    ("$typed", typed), ("$above", above), ("$n", MaxValues + 1));
                // Ids that contain it elsewhere only when those leave room: that needs a scan of every id.
                // instr, not LIKE: what was typed is matched as text, '%' and '_' included.
                if (found.Count < MaxValues && typed.Length > 0)
                    found.AddRange(sql.List(static r => r.GetString(0),
                        $"SELECT id FROM {table} WHERE instr(id, $typed) > 1 ORDER BY {recency} DESC, id DESC LIMIT $n",
                        ("$typed", typed), ("$n", MaxValues + 1 - found.Count)));
                var hasMore = found.Count > MaxValues;
                if (hasMore) found.RemoveRange(MaxValues, found.Count - MaxValues);
                return (found, hasMore);
            });
        }
        return ToolResults.Serialize(w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("completion"u8);
            w.WriteStartArray("values"u8);
            foreach (var value in values) w.WriteStringValue(value);
            w.WriteEndArray();
            // The total is known when everything fits; past 100 it would cost a count of every match, so only hasMore says so.
            if (!more) w.WriteNumber("total"u8, values.Count);
            w.WriteBoolean("hasMore"u8, more);
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }
}
