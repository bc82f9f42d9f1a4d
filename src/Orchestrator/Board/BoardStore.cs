using Microsoft.Data.Sqlite;
using Orchestrator.Storage;

namespace Orchestrator.Board;

/// <summary>
/// The board's way into a data directory's store: its own read-only SQLite connections, opened per request (a few
/// hundred microseconds), so that the board never writes, never migrates, and never holds a file open across a restart
/// of the server that shares the directory. SQLite's WAL lets such readers run beside the writing servers.
/// </summary>
internal sealed class BoardStore(string dataDirectory)
{
    public string DataDirectory { get; } = dataDirectory;
    public string DatabasePath => Path.Combine(DataDirectory, "orchestrator.db");
    public string SnapshotDirectory => Path.Combine(DataDirectory, "snapshots");

    /// <summary>A read-only connection to a store of this build's schema.</summary>
    /// <exception cref="BoardUnavailableException">No store yet, a schema this build cannot read, or SQLite refused it.</exception>
    public SqliteConnection Open()
    {
        if (!File.Exists(DatabasePath))
            throw new BoardUnavailableException(503, $"There is no store in {DataDirectory} yet: start a server on this data directory first.");
        Database.EnsureProvider();
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        try
        {
            connection.Open();
            // A server may be committing: wait for it briefly rather than fail the page.
            Scalar(connection, "PRAGMA busy_timeout = 2000");
            var version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version"));
            if (version > Migrations.Latest)
                throw new BoardUnavailableException(503,
                    $"The store in {DataDirectory} has schema version {version}, newer than this build knows ({Migrations.Latest}): open it with the newer orchestrator that wrote it.");
            if (version < Migrations.Latest)
                throw new BoardUnavailableException(503,
                    $"The store in {DataDirectory} has schema version {version}, older than this build's ({Migrations.Latest}): start this build's server on it once to upgrade it.");
            return connection;
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw new BoardUnavailableException(503, $"The store in {DataDirectory} cannot be read: {ex.Message}");
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
