using Microsoft.Data.Sqlite;

namespace Orchestrator.Storage;

/// <summary>
/// Versioned schema migrations, applied in order at start-up; <c>PRAGMA user_version</c> records the version
/// reached. A migration is never edited once released: add the next one.
/// </summary>
internal static class Migrations
{
    private static readonly string[] Steps =
    [
        // 1: restart history, durable across restarts and crashes.
        """
        CREATE TABLE restart_history (
            id               INTEGER PRIMARY KEY,
            started_at_ms    INTEGER NOT NULL,
            completed_at_ms  INTEGER,
            reason           TEXT    NOT NULL,
            graceful         INTEGER NOT NULL,
            preserve_state   INTEGER NOT NULL,
            timeout_s        INTEGER NOT NULL,
            phase            TEXT    NOT NULL,
            success          INTEGER,
            duration_ms      REAL,
            error_code       TEXT,
            error            TEXT,
            pid              INTEGER NOT NULL,
            session_id       TEXT,
            session_restored INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX restart_history_started ON restart_history (started_at_ms DESC);
        """,
        // 2: task orchestration. Sessions bind a working directory; tasks own subtasks, which depend on siblings and
        // keep their detailed work as artifacts. Indices follow the queries: tasks by status/session ordered by
        // update time (status, query, pagination), subtasks by task and by status (restart counts), edges both ways.
        """
        CREATE TABLE sessions (
            id                TEXT    PRIMARY KEY,
            working_directory TEXT    NOT NULL UNIQUE,
            created_at_ms     INTEGER NOT NULL,
            last_active_ms    INTEGER NOT NULL
        );
        CREATE TABLE tasks (
            id            TEXT    PRIMARY KEY,
            session_id    TEXT    NOT NULL REFERENCES sessions (id),
            title         TEXT    NOT NULL,
            description   TEXT    NOT NULL,
            status        TEXT    NOT NULL,
            complexity    TEXT    NOT NULL,
            cancel_reason TEXT,
            created_at_ms INTEGER NOT NULL,
            updated_at_ms INTEGER NOT NULL
        );
        CREATE INDEX tasks_status_updated ON tasks (status, updated_at_ms DESC, id DESC);
        CREATE INDEX tasks_session_status_updated ON tasks (session_id, status, updated_at_ms DESC, id DESC);
        CREATE INDEX tasks_session_updated ON tasks (session_id, updated_at_ms DESC, id DESC);
        CREATE INDEX tasks_updated ON tasks (updated_at_ms DESC, id DESC);
        CREATE TABLE subtasks (
            id               TEXT    PRIMARY KEY,
            task_id          TEXT    NOT NULL REFERENCES tasks (id),
            position         INTEGER NOT NULL,
            key              TEXT    NOT NULL,
            title            TEXT    NOT NULL,
            description      TEXT    NOT NULL,
            role             TEXT    NOT NULL,
            complexity       TEXT    NOT NULL,
            estimated_effort TEXT,
            status           TEXT    NOT NULL,
            result_summary   TEXT,
            file_paths       TEXT,
            artifact_type    TEXT,
            next_action      TEXT,
            created_at_ms    INTEGER NOT NULL,
            updated_at_ms    INTEGER NOT NULL,
            UNIQUE (task_id, position)
        );
        CREATE INDEX subtasks_status ON subtasks (status);
        CREATE TABLE subtask_dependencies (
            subtask_id    TEXT NOT NULL REFERENCES subtasks (id),
            depends_on_id TEXT NOT NULL REFERENCES subtasks (id),
            PRIMARY KEY (subtask_id, depends_on_id)
        ) WITHOUT ROWID;
        CREATE INDEX subtask_dependencies_reverse ON subtask_dependencies (depends_on_id, subtask_id);
        CREATE TABLE artifacts (
            id            TEXT    PRIMARY KEY,
            subtask_id    TEXT    NOT NULL REFERENCES subtasks (id),
            type          TEXT    NOT NULL,
            content       TEXT    NOT NULL,
            created_at_ms INTEGER NOT NULL
        );
        CREATE INDEX artifacts_subtask ON artifacts (subtask_id, created_at_ms);
        """,
    ];

    public static int Latest => Steps.Length;

    public static int Apply(SqliteConnection connection)
    {
        using var read = connection.CreateCommand();
        read.CommandText = "PRAGMA user_version";
        var version = Convert.ToInt32(read.ExecuteScalar());
        if (version > Steps.Length)
            throw new InvalidOperationException($"database schema version {version} is newer than this build knows ({Steps.Length})");
        for (var step = version; step < Steps.Length; step++)
        {
            using var transaction = connection.BeginTransaction();
            Database.Execute(connection, Steps[step], transaction);
            Database.Execute(connection, $"PRAGMA user_version = {step + 1}", transaction);
            transaction.Commit();
        }
        return Steps.Length;
    }
}
