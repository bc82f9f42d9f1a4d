namespace Orchestrator.Storage.Schema;

/// <summary>
/// Migration 6: many agents on one store. <c>subtask_claims</c> records every claim an execution took on a subtask:
/// who, when, until when its lease runs (wall-clock, Unix milliseconds, so that no restart ends or extends it), by which
/// server process (<see cref="Native.ProcessIdentity"/>: boot, PID and start time, which an in-place restart keeps), whom it
/// took over from, and when and how it ended. At most one claim of a subtask is open: the unique partial index makes a
/// second one impossible whatever writes.
/// <c>idempotent_calls</c> keeps the first answer of every mutating call that gave a <c>request_id</c>, written in the
/// same transaction as the change it answers.
/// </summary>
internal static class Migration006AgentClaims
{
    public const string Sql = """
        CREATE TABLE subtask_claims (
            id             INTEGER PRIMARY KEY,
            subtask_id     TEXT NOT NULL REFERENCES subtasks(id) ON DELETE CASCADE,
            agent          TEXT NOT NULL,
            server_run     TEXT NOT NULL,
            granted_at     INTEGER NOT NULL,
            lease_until    INTEGER NOT NULL,
            took_over_from TEXT,
            ended_at       INTEGER,
            ended_how      TEXT
        );
        CREATE UNIQUE INDEX subtask_claims_open ON subtask_claims (subtask_id) WHERE ended_at IS NULL;
        CREATE INDEX subtask_claims_subtask ON subtask_claims (subtask_id, id);

        CREATE TABLE idempotent_calls (
            scope       TEXT NOT NULL,
            request_id  TEXT NOT NULL,
            tool        TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            answer      TEXT NOT NULL,
            created_at  INTEGER NOT NULL,
            PRIMARY KEY (scope, request_id)
        ) WITHOUT ROWID;
        CREATE INDEX idempotent_calls_created ON idempotent_calls (created_at);
        """;
}
