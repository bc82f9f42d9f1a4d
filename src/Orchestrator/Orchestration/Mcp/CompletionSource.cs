using Orchestrator.Orchestration.Storage;
using Orchestrator.Storage;
using Orchestrator.Tooling;

namespace Orchestrator.Orchestration.Mcp;

/// <summary>
/// <c>completion/complete</c>: ids from the store for a prompt argument or a URI template variable, ids that start with
/// what was typed first, then ids that contain it, each group most recently updated first; at most 100 values.
/// </summary>
internal sealed class CompletionSource(Database database)
{
    public const int MaxValues = 100;

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
        var total = 0L;
        if (table is not null && typed.Length <= 128)
        {
            (values, total) = database.Read(c =>
            {
                var sql = new Sql(c, null);
                // instr, not LIKE: what was typed is matched as text, '%' and '_' included.
                var found = sql.List(static r => r.GetString(0),
                    $"SELECT id FROM {table} WHERE instr(id, $typed) > 0 ORDER BY instr(id, $typed) = 1 DESC, {recency} DESC, id LIMIT $n",
                    ("$typed", typed), ("$n", MaxValues));
                var count = found.Count < MaxValues ? found.Count : sql.Scalar($"SELECT count(*) FROM {table} WHERE instr(id, $typed) > 0", ("$typed", typed));
                return (found, count);
            });
        }
        return ToolResults.Serialize(w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("completion"u8);
            w.WriteStartArray("values"u8);
            foreach (var value in values) w.WriteStringValue(value);
            w.WriteEndArray();
            w.WriteNumber("total"u8, total);
            w.WriteBoolean("hasMore"u8, total > values.Count);
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }
}
