namespace Orchestrator.Storage.Schema;

/// <summary>
/// Migration 2: task orchestration. Sessions bind a working directory; tasks own subtasks, which depend on siblings and
/// keep their detailed work as artifacts. Indices follow the queries: tasks by status/session ordered by
/// update time (status, query, pagination), subtasks by task and by status (restart counts), edges both ways.
/// </summary>
internal static class Migration002TaskOrchestration
{
    public const string Sql = """
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
        """;
}
