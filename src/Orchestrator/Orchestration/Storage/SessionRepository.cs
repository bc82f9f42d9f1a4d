using static Orchestrator.Orchestration.OrchestrationMapper;

namespace Orchestrator.Orchestration.Storage;

/// <summary>Sessions, found by id or by their (unique) working directory.</summary>
internal static class SessionRepository
{
    private const string Columns = "id, working_directory, created_at_ms, last_active_ms";

    public static Session? Get(Sql sql, string id) =>
        sql.List(Read, $"SELECT {Columns} FROM sessions WHERE id = $id", ("$id", id)).FirstOrDefault();

    public static Session? ByWorkingDirectory(Sql sql, string directory) =>
        sql.List(Read, $"SELECT {Columns} FROM sessions WHERE working_directory = $dir", ("$dir", directory)).FirstOrDefault();

    public static void Insert(Sql sql, Session session)
    {
        var row = ToRow(session);
        sql.Execute("INSERT INTO sessions (id, working_directory, created_at_ms, last_active_ms) VALUES ($id, $dir, $created, $active)",
            ("$id", row.Id), ("$dir", row.WorkingDirectory), ("$created", row.CreatedAt), ("$active", row.LastActiveAt));
    }

    public static void Touch(Sql sql, string id, DateTimeOffset now) =>
        sql.Execute("UPDATE sessions SET last_active_ms = $now WHERE id = $id", ("$id", id), ("$now", now.ToUnixTimeMilliseconds()));

    private static Session Read(Microsoft.Data.Sqlite.SqliteDataReader r) =>
        ToDomain(new SessionRow(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetInt64(3)));
}
