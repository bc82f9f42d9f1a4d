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
