using Microsoft.Data.Sqlite;

namespace Orchestrator.Storage;

/// <summary>
/// The durable store of one process image: opened once at start-up (on its own thread, while a pending restart call is
/// answered), or the reason it could not be. The server serves either way; what needs the store answers
/// INITIALIZATION_FAILED with <see cref="Error"/>.
/// </summary>
internal sealed class Store : IDisposable
{
    private Store(Database? database, string? error) => (Database, Error) = (database, error);

    /// <summary>The open store; null when it could not be opened.</summary>
    public Database? Database { get; }

    /// <summary>Why the store could not be opened; null when it is open.</summary>
    public string? Error { get; }

    /// <summary>
    /// Creates the data directory if needed (0700, see <see cref="PrivateFiles"/>) and opens (and migrates)
    /// <paramref name="databasePath"/> in it.
    /// </summary>
    public static Store Open(string dataDirectory, string databasePath)
    {
        try
        {
            PrivateFiles.CreateDirectory(dataDirectory);
            return new Store(Database.Open(databasePath), null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SqliteException or InvalidOperationException or StoreFaultException)
        {
            return new Store(null, $"cannot open the store in {dataDirectory}: {ex.Message}");
        }
    }

    /// <summary>
    /// Folds the WAL into the database file: a server that ends for good leaves one self-contained file. A restart
    /// abandoned midway may have closed the connection: it is reopened for this. Why it could not, or null.
    /// </summary>
    public string? CheckpointAtExit()
    {
        if (Database is not { } database) return null;
        try
        {
            database.Reopen();
        }
        catch (Exception ex) when (ex is SqliteException or StoreFaultException or InvalidOperationException or IOException)
        {
            return $"the store could not be reopened for its final checkpoint: {ex.Message}";
        }
        return database.Checkpoint();
    }

    public void Dispose() => Database?.Dispose();
}
