using Microsoft.Data.Sqlite;
using Orchestrator.Storage.Schema;
using Orchestrator.Tests.Unit;

namespace Orchestrator.Tests.Orchestration;

/// <summary>
/// A store as the release before this schema wrote it: migrations 1 and 2 only (their SQL is frozen once released),
/// <c>user_version</c> 2, and data in that schema written with plain SQL: a session, a task in progress whose first
/// subtask is completed with an artifact and two others wait on it, and a planned task.
/// </summary>
internal static class PreviousSchemaStore
{
    public const int Version = 2;

    public static void Create(string databasePath, string workingDirectory)
    {
        JitSqlite.Ensure();
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString());
        connection.Open();
        Execute(connection, "PRAGMA journal_mode=WAL");
        Execute(connection, Migration001RestartHistory.Sql);
        Execute(connection, Migration002TaskOrchestration.Sql);
        Execute(connection, $"PRAGMA user_version = {Version}");
        Execute(connection, $"""
            INSERT INTO sessions VALUES ('sess_0ld000000001', '{workingDirectory.Replace("'", "''")}', 1000, 5000);
            INSERT INTO tasks VALUES ('task_0ld000000001', 'sess_0ld000000001', 'Zeppelin telemetry decoder', 'Decode the airship feed', 'in_progress', 'high', NULL, 1000, 4000);
            INSERT INTO tasks VALUES ('task_0ld000000002', 'sess_0ld000000001', 'Release notes', '', 'planned', 'low', NULL, 2000, 2000);
            INSERT INTO subtasks VALUES ('sub_0ld000000001', 'task_0ld000000001', 1, 'design', 'Design the decoder', 'Frames and checksums', 'architect', 'medium', '2h',
                'completed', 'Framed the gondola protocol', 'docs/design.md' || char(10) || 'docs/frames.md', 'design', 'build it', 1000, 3000);
            INSERT INTO subtasks VALUES ('sub_0ld000000002', 'task_0ld000000001', 2, 'build', 'Build the decoder', '', 'implementer', 'high', NULL,
                'pending', NULL, NULL, NULL, NULL, 1000, 1000);
            INSERT INTO subtasks VALUES ('sub_0ld000000003', 'task_0ld000000001', 3, 'docs', 'Document it', '', 'documenter', 'low', NULL,
                'pending', NULL, NULL, NULL, NULL, 1000, 1000);
            INSERT INTO subtasks VALUES ('sub_0ld000000004', 'task_0ld000000002', 1, '1', 'Write the notes', '', 'documenter', 'medium', NULL,
                'pending', NULL, NULL, NULL, NULL, 2000, 2000);
            INSERT INTO subtask_dependencies VALUES ('sub_0ld000000002', 'sub_0ld000000001');
            INSERT INTO subtask_dependencies VALUES ('sub_0ld000000003', 'sub_0ld000000001');
            INSERT INTO artifacts VALUES ('art_0ld000000001', 'sub_0ld000000001', 'design', 'The whole design of the gondola frames.', 3000);
            INSERT INTO restart_history (started_at_ms, completed_at_ms, reason, graceful, preserve_state, timeout_s, phase, success, duration_ms, pid)
                VALUES (500, 510, 'manual_request', 1, 1, 30, 'complete', 1, 10.0, 42);
            """);
    }

    /// <summary>Every row of the tables the previous schema had, with only the columns it had: what an upgrade must keep exactly.</summary>
    public static string OldRows(string databasePath)
    {
        JitSqlite.Ensure();
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        var text = new System.Text.StringBuilder();
        foreach (var (table, columns, order) in new[]
        {
            ("sessions", "id, working_directory, created_at_ms, last_active_ms", "id"),
            ("tasks", "id, session_id, title, description, status, complexity, cancel_reason, created_at_ms, updated_at_ms", "id"),
            ("subtasks", "id, task_id, position, key, title, description, role, complexity, estimated_effort, status, result_summary, file_paths, "
                + "artifact_type, next_action, created_at_ms, updated_at_ms", "id"),
            ("subtask_dependencies", "subtask_id, depends_on_id", "subtask_id, depends_on_id"),
            ("artifacts", "id, subtask_id, type, content, created_at_ms", "id"),
            ("restart_history", "*", "id"),
        })
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {columns} FROM {table} ORDER BY {order}";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                text.Append(table).Append(':');
                for (var i = 0; i < reader.FieldCount; i++) text.Append(" | ").Append(reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture));
                text.Append('\n');
            }
        }
        return text.ToString();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
