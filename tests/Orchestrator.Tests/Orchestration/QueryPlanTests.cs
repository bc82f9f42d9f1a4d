using Orchestrator.Orchestration;
using Orchestrator.Orchestration.Contract;
using static Orchestrator.Tests.Orchestration.Plans;

namespace Orchestrator.Tests.Orchestration;

/// <summary>
/// The task tools stay fast with 100k tasks only if their queries read through indices: SQLite's own query plans
/// must show no full scan of a table (a "SCAN t" without an index) and no temporary sort for the ordered lists.
/// </summary>
public class QueryPlanTests
{
    private static readonly string[] Queries =
    [
        "SELECT * FROM tasks WHERE status IN ('planned', 'in_progress') ORDER BY updated_at_ms DESC, id DESC LIMIT 21 OFFSET 0",
        "SELECT * FROM tasks WHERE status = 'completed' ORDER BY updated_at_ms DESC, id DESC LIMIT 21 OFFSET 40",
        "SELECT * FROM tasks WHERE session_id = 's' ORDER BY updated_at_ms DESC, id DESC LIMIT 21 OFFSET 0",
        "SELECT * FROM tasks WHERE session_id = 's' AND status = 'planned' ORDER BY updated_at_ms DESC, id DESC LIMIT 21 OFFSET 0",
        "SELECT * FROM tasks ORDER BY updated_at_ms DESC, id DESC LIMIT 21 OFFSET 0",
        "SELECT count(*) FROM tasks WHERE session_id = 's' AND status IN ('planned', 'in_progress', 'failed', 'blocked')",
        "SELECT * FROM tasks WHERE EXISTS (SELECT 1 FROM task_tags WHERE task_id = tasks.id AND tag = 'x') ORDER BY updated_at_ms DESC, id DESC LIMIT 21",
        "SELECT task_id, tag FROM task_tags WHERE task_id IN ('a', 'b') ORDER BY task_id, tag",
        "SELECT * FROM subtasks WHERE unmet_dependencies = 0 AND status IN ('pending', 'needs_revision') "
            + "ORDER BY task_priority DESC, dependants DESC, created_at_ms, task_id, position LIMIT 11",
        "SELECT * FROM subtasks WHERE unmet_dependencies = 0 AND status IN ('pending', 'needs_revision') AND session_id = 's' "
            + "ORDER BY task_priority DESC, dependants DESC, created_at_ms, task_id, position LIMIT 11",
        "SELECT count(*) FROM subtasks WHERE status = 'needs_review' AND session_id = 's'",
        // (sorted afterwards by position: at most 49 rows, the dependants of one subtask)
        "SELECT w.id FROM subtask_dependencies d JOIN subtasks w ON w.id = d.subtask_id WHERE d.depends_on_id = 'a' AND w.status NOT IN ('completed', 'cancelled')",
        "SELECT id FROM search_documents WHERE task_id = 'a' AND subtask_id = ''",
        // Ranked search: FTS5 yields rank order itself (no sort of every match), with and without a filter on tasks.
        "SELECT d.task_id, snippet(search_index, -1, '[', ']', '…', 12) FROM search_index JOIN search_documents d ON d.id = search_index.rowid "
            + "WHERE search_index MATCH 'step' ORDER BY search_index.rank",
        "SELECT d.task_id FROM search_index JOIN search_documents d ON d.id = search_index.rowid JOIN tasks t ON t.id = d.task_id "
            + "WHERE search_index MATCH 'step' AND t.status = 'completed' AND t.priority = 'high' ORDER BY search_index.rank",
        "SELECT task_id, status, count(*) FROM subtasks WHERE task_id IN ('a', 'b') GROUP BY task_id, status",
        "SELECT * FROM subtasks WHERE task_id = 'a' ORDER BY position",
        "SELECT count(*) FROM subtasks WHERE status = 'in_progress'",
        "SELECT d.subtask_id, d.depends_on_id FROM subtasks s JOIN subtask_dependencies d ON d.subtask_id = s.id WHERE s.task_id = 'a'",
        "SELECT * FROM artifacts WHERE subtask_id = 'a' ORDER BY created_at_ms DESC, id DESC LIMIT 1",
        "SELECT * FROM sessions WHERE working_directory = '/x'",
    ];

    public static IEnumerable<Func<string>> Each() => Queries.Select<string, Func<string>>(q => () => q);

    [Test]
    [MethodDataSource(nameof(Each))]
    public async Task The_query_reads_through_an_index(string query)
    {
        using var store = new OrchestrationStore();
        // A few rows and fresh statistics, so the planner decides as it would on a populated store.
        var session = store.Session();
        for (var i = 0; i < 5; i++) store.Finish(store.Plan(session, Step("a", "tester"), Step("b", "tester", "a")).Id("a"));
        var plan = store.Database.Read(c =>
        {
            using (var analyze = c.CreateCommand()) { analyze.CommandText = "ANALYZE"; analyze.ExecuteNonQuery(); }
            using var command = c.CreateCommand();
            command.CommandText = "EXPLAIN QUERY PLAN " + query;
            using var reader = command.ExecuteReader();
            var lines = new List<string>();
            while (reader.Read()) lines.Add(reader.GetString(3));
            return lines;
        });
        foreach (var line in plan)
        {
            // A virtual table's scan is its own index (FTS5: "VIRTUAL TABLE INDEX n:M…" for a MATCH).
            var fullScan = line.StartsWith("SCAN ", StringComparison.Ordinal) && !line.Contains("USING", StringComparison.Ordinal)
                && !line.Contains("VIRTUAL TABLE INDEX", StringComparison.Ordinal);
            await Assert.That(fullScan).IsFalse().Because($"{query}: {string.Join(" / ", plan)}");
            await Assert.That(line).DoesNotContain("TEMP B-TREE FOR ORDER BY").Because($"{query}: {string.Join(" / ", plan)}");
        }
    }
}
