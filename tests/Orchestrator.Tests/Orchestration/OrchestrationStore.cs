using Orchestrator.Orchestration.Answers;
using System.Text;
using Orchestrator.Orchestration;
using Orchestrator.Storage;
using Orchestrator.Tests.Unit;
using Orchestrator.Tooling;

namespace Orchestrator.Tests.Orchestration;

/// <summary>
/// A TaskOrchestrator on a real temporary SQLite file, with a clock that ticks one millisecond per reading and ids
/// counted per prefix, so that the same calls give the same state. <see cref="Dump"/> lists every orchestration row.
/// </summary>
internal sealed class OrchestrationStore : IDisposable
{
    private readonly UnitTempDirectory _directory = new();
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);

    public OrchestrationStore(int budget = AnswerBudget.Default)
    {
        Budget = budget;
        JitSqlite.Ensure();
        WorkingDirectory = Path.Combine(_directory.Path, "project");
        Directory.CreateDirectory(WorkingDirectory);
        DatabasePath = _directory.File("orchestrator.db");
        Database = Database.Open(DatabasePath);
        Tasks = Create(Database);
    }

    public string WorkingDirectory { get; }
    public string DatabasePath { get; }
    public Database Database { get; private set; }
    public TaskOrchestrator Tasks { get; private set; }
    public SteppingClock Clock { get; } = new(DateTimeOffset.Parse("2025-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    private TaskOrchestrator Create(Database database) => new(database, Clock, WorkingDirectory, prefix =>
    {
        var n = _ids[prefix] = _ids.GetValueOrDefault(prefix) + 1;
        return $"{prefix}_{n:D4}";
    }, Budget);

    /// <summary>The answer budget of <see cref="Tasks"/>.</summary>
    public int Budget { get; }

    /// <summary>Closes the store and opens it again, as a restarted process would.</summary>
    public void Reopen()
    {
        Database.Dispose();
        Database = Database.Open(DatabasePath);
        Tasks = Create(Database);
    }

    public void WriteRoles(string json)
    {
        Directory.CreateDirectory(Path.Combine(WorkingDirectory, ".orchestrator"));
        File.WriteAllText(Path.Combine(WorkingDirectory, ".orchestrator", "roles.json"), json);
    }

    /// <summary>Every row of every orchestration table in a fixed order; the working directory is written as &lt;wd&gt; so two stores compare equal.</summary>
    public string Dump() => Database.Read(c =>
    {
        var text = new StringBuilder();
        foreach (var (table, order) in new[]
        {
            ("sessions", "id"), ("tasks", "id"), ("task_tags", "task_id, tag"), ("subtasks", "id"), ("subtask_dependencies", "subtask_id, depends_on_id"),
            ("artifacts", "id"), ("search_documents", "id"), ("search_index", "rowid"), ("task_history", "id"),
            ("subtask_claims", "id"), ("idempotent_calls", "scope, request_id"),
        })
        {
            using var command = c.CreateCommand();
            command.CommandText = table == "search_index" ? "SELECT rowid, title, body FROM search_index ORDER BY rowid" : $"SELECT * FROM {table} ORDER BY {order}";
            using var reader = command.ExecuteReader();
            text.Append('[').Append(table).Append("]\n");
            while (reader.Read())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                    text.Append(i == 0 ? "" : " | ").Append(reader.GetName(i)).Append('=').Append(reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture));
                text.Append('\n');
            }
        }
        return text.ToString().Replace(WorkingDirectory, "<wd>", StringComparison.Ordinal);
    });

    public void Dispose()
    {
        Database.Dispose();
        _directory.Dispose();
    }
}

/// <summary>A clock that advances one millisecond each time it is read: distinct, ordered, reproducible timestamps.</summary>
internal sealed class SteppingClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow()
    {
        lock (this) return _now = _now.AddMilliseconds(1);
    }

    /// <summary>Moves the clock on, as wall-clock time passing (a lease running out).</summary>
    public void Advance(TimeSpan by)
    {
        lock (this) _now += by;
    }
}

internal static class Outcomes
{
    public static T Ok<T>(this ToolOutcome<T> outcome) where T : IJsonWritable =>
        outcome.Error is { } error ? throw new InvalidOperationException($"expected success, got {error.Code}: {error.Message}") : outcome.Result!;

    public static ToolError Err<T>(this ToolOutcome<T> outcome) where T : IJsonWritable =>
        outcome.Error ?? throw new InvalidOperationException("expected an error, got success");
}
