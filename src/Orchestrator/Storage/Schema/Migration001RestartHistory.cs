namespace Orchestrator.Storage.Schema;

/// <summary>
/// Migration 1: restart history, durable across restarts and crashes.
/// </summary>
internal static class Migration001RestartHistory
{
    public const string Sql = """
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
        """;
}
