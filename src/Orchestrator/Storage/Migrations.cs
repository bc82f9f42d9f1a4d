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
