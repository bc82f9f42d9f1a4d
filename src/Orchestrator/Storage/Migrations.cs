using Microsoft.Data.Sqlite;

namespace Orchestrator.Storage;

/// <summary>
/// Versioned schema migrations, applied in order at start-up; <c>PRAGMA user_version</c> records the version
/// reached. A migration is never edited once released: add the next one.
/// </summary>
internal static class Migrations
{
    /// <summary>
    /// The migrations in order, one file each under <c>Migrations/</c> (numbered as the version they bring the store to),
    /// so that work adding tables in parallel meets only here, at the end of the list.
    /// </summary>
    private static readonly string[] Steps =
    [
        Schema.Migration001RestartHistory.Sql,
        Schema.Migration002TaskOrchestration.Sql,
        Schema.Migration003TaskWorkflow.Sql,
        Schema.Migration004TaskSearch.Sql,
        Schema.Migration005TaskHistory.Sql,
        Schema.Migration006AgentClaims.Sql,
    ];

    public static int Latest => Steps.Length;

    /// <summary>
    /// Brings the store to <see cref="Latest"/>, one migration per transaction. Safe when several servers open a new data
    /// directory at the same moment: each step takes SQLite's write lock first (<c>BEGIN IMMEDIATE</c>) and reads the
    /// version again under it, so a step another server has just applied is never applied twice. A store already at
    /// the latest version is only read (a read-only store opens).
    /// </summary>
    public static int Apply(SqliteConnection connection)
    {
        if (ReadVersion(connection, null) == Steps.Length) return Steps.Length;
        while (true)
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            var version = ReadVersion(connection, transaction);
            if (version >= Steps.Length)
            {
                transaction.Commit();
                return Steps.Length;
            }
            Database.Execute(connection, Steps[version], transaction);
            Database.Execute(connection, $"PRAGMA user_version = {version + 1}", transaction);
            transaction.Commit();
        }
    }

    /// <exception cref="InvalidOperationException">The store was migrated by a newer build.</exception>
    private static int ReadVersion(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using var read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = "PRAGMA user_version";
        var version = Convert.ToInt32(read.ExecuteScalar());
        if (version > Steps.Length)
            throw new InvalidOperationException($"database schema version {version} is newer than this build knows ({Steps.Length})");
        return version;
    }
}
