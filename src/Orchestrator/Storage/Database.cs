using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Orchestrator.Storage;

/// <summary>
/// The durable store: one SQLite connection (WAL) to <c>orchestrator.db</c> in the data directory, migrated on
/// open. Calls are serialized through one lock, which also lets the store report open transactions truthfully.
/// </summary>
internal sealed class Database : IDisposable
{
    private static readonly Lazy<bool> ProviderSet = new(() =>
    {
        SQLitePCL.raw.SetProvider(new SQLitePCL.SQLite3Provider_e_sqlite3());
        return true;
    });
    private const int SqliteNoCheckpointOnClose = 1006; // SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE

    private readonly Lock _lock = new();
    private SqliteConnection? _connection;
    private int _pendingTransactions;

    private Database(string path) => Path = path;

    public string Path { get; }
    public bool IsOpen { get { lock (_lock) return _connection is not null; } }
    public int PendingTransactions => Volatile.Read(ref _pendingTransactions);
    public int SchemaVersion { get; private set; }

    public static Database Open(string path)
    {
        EnsureProvider();
        var database = new Database(path);
        database.Reopen();
        return database;
    }

    /// <summary>Binds Microsoft.Data.Sqlite to the SQLite linked into this binary (once per process).</summary>
    public static void EnsureProvider() => _ = ProviderSet.Value;

    /// <summary>(Re)opens the connection, e.g. after a restart attempt closed it and then failed.</summary>
    public void Reopen()
    {
        lock (_lock)
        {
            if (_connection is not null) return;
            var connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = Path,
                Mode = SqliteOpenMode.ReadWriteCreate,
                Pooling = false,
            }.ToString());
            try
            {
                connection.Open();
                // Closing is on the restart path: skip the checkpoint SQLite would otherwise run (and fsync) on close.
                // The WAL stays and the next image opens it as is; autocheckpoints still bound its size.
                SQLitePCL.raw.sqlite3_db_config(connection.Handle, SqliteNoCheckpointOnClose, 1, out _);
                Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;");
                SchemaVersion = Migrations.Apply(connection);
            }
            catch
            {
                connection.Dispose(); // a store that cannot be migrated keeps no file handles
                throw;
            }
            _connection = connection;
        }
    }

    /// <summary>Closes the connection so that no lock or half-written page outlives this process image.</summary>
    public void Close()
    {
        lock (_lock)
        {
            _connection?.Dispose();
            _connection = null;
        }
    }

    public T Read<T>(Func<SqliteConnection, T> query)
    {
        lock (_lock) return query(Connection);
    }

    /// <summary>Runs <paramref name="work"/> in one transaction; committed when it returns, rolled back when it throws.</summary>
    public T Write<T>(Func<SqliteConnection, SqliteTransaction, T> work)
    {
        lock (_lock)
        {
            var connection = Connection;
            Interlocked.Increment(ref _pendingTransactions);
            try
            {
                using var transaction = connection.BeginTransaction();
                var result = work(connection, transaction);
                transaction.Commit();
                return result;
            }
            finally
            {
                Interlocked.Decrement(ref _pendingTransactions);
            }
        }
    }

    /// <summary>
    /// Folds the WAL into the database file. Closing skips this (it is on the restart path), so a server that ends
    /// for good does it here: then <c>orchestrator.db</c> alone holds everything, e.g. for a backup.
    /// </summary>
    public void Checkpoint()
    {
        lock (_lock)
        {
            if (_connection is not null) Execute(_connection, "PRAGMA wal_checkpoint(TRUNCATE)");
        }
    }

    /// <summary>Round trip of a trivial query against the real file, in milliseconds.</summary>
    public double Probe()
    {
        lock (_lock)
        {
            var started = Stopwatch.GetTimestamp();
            using var command = Connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM sqlite_master";
            command.ExecuteScalar();
            return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
    }

    public void Dispose() => Close();

    private SqliteConnection Connection => _connection ?? throw new InvalidOperationException("database is closed");

    internal static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
