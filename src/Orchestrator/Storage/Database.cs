using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Orchestrator.Native;

namespace Orchestrator.Storage;

/// <summary>
/// The durable store: one SQLite connection (WAL) to <c>orchestrator.db</c> in the data directory, migrated on
/// open. Calls are serialized through one lock, which also lets the store report open transactions truthfully.
/// <para>
/// Every wait is bounded: for this lock and for SQLite's (another process writing), <see cref="DefaultWait"/> unless the
/// caller allows less. What keeps a write from happening for a reason of the environment (read-only, full, locked,
/// the file deleted or replaced under the running server, damaged) is raised as a <see cref="StoreFaultException"/>.
/// </para>
/// </summary>
internal sealed class Database : IDisposable
{
    /// <summary>How long a call waits for the store's lock or another process's write lock before it gives up.</summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(5);

    private static readonly Lazy<bool> ProviderSet = new(() =>
    {
        SQLitePCL.raw.SetProvider(new SQLitePCL.SQLite3Provider_e_sqlite3());
        return true;
    });
    private const int SqliteNoCheckpointOnClose = 1006; // SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE

    private readonly Lock _lock = new();
    private SqliteConnection? _connection;
    private FileIdentity? _openedFile;
    private bool _readOnly;
    private int _pendingTransactions;

    private Database(string path) => Path = path;

    public string Path { get; }
    public bool IsOpen { get { lock (_lock) return _connection is not null; } }
    public int PendingTransactions => Volatile.Read(ref _pendingTransactions);
    public int SchemaVersion { get; private set; }

    /// <summary>Whether SQLite opened the database read-only (read-only files or file system): reads work, writes are refused.</summary>
    public bool IsReadOnly { get { lock (_lock) return _readOnly; } }

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
                // The wait first: two servers starting on a new directory both switch it to WAL, which takes the lock.
                AllowWait(connection, DefaultWait);
                // SQLite falls back to read-only when the file or its file system cannot be written.
                var readOnly = SQLitePCL.raw.sqlite3_db_readonly(connection.Handle, "main") == 1;
                Execute(connection, readOnly
                    ? "PRAGMA foreign_keys=ON;"
                    : "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
                SchemaVersion = Migrations.Apply(connection);
                _readOnly = readOnly;
                _openedFile = FileIdentity.Of(Path);
            }
            catch (SqliteException ex) when (StoreFaultException.From(ex, Path) is { } fault)
            {
                connection.Dispose(); // a store that cannot be opened keeps no file handles
                throw fault;
            }
            catch
            {
                connection.Dispose();
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

    /// <summary>Runs a query; its SQLite faults of the environment come out as <see cref="StoreFaultException"/>.</summary>
    public T Read<T>(Func<SqliteConnection, T> query)
    {
        using var held = Enter(DefaultWait);
        try
        {
            return query(Connection);
        }
        catch (SqliteException ex) when (StoreFaultException.From(ex, Path) is { } fault)
        {
            throw fault;
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction; committed when it returns, rolled back when it throws. Waits at
    /// most <paramref name="wait"/> (default <see cref="DefaultWait"/>) for this store's lock and for another process's
    /// write lock. Refused before it begins when the store is read-only or its path no longer names the open database.
    /// </summary>
    /// <exception cref="StoreFaultException">The write could not happen; nothing was written.</exception>
    public T Write<T>(Func<SqliteConnection, SqliteTransaction, T> work, TimeSpan? wait = null)
    {
        var bound = wait is { } allowed ? (allowed > TimeSpan.Zero ? allowed : TimeSpan.Zero) : DefaultWait;
        using var held = Enter(bound);
        var connection = Connection;
        if (WriteRefusal() is { } refusal) throw refusal;
        Interlocked.Increment(ref _pendingTransactions);
        AllowWait(connection, bound);
        try
        {
            using var transaction = connection.BeginTransaction();
            var result = work(connection, transaction);
            transaction.Commit();
            return result;
        }
        catch (SqliteException ex) when (StoreFaultException.From(ex, Path) is { } fault)
        {
            throw fault;
        }
        finally
        {
            if (bound != DefaultWait) AllowWait(connection, DefaultWait);
            Interlocked.Decrement(ref _pendingTransactions);
        }
    }

    /// <summary>Why a write would be refused right now without trying it (read-only, or the file deleted or replaced), or null.</summary>
    public StoreFaultException? WriteRefusal()
    {
        if (_readOnly)
            return new StoreFaultException(StoreFaultKind.ReadOnly,
                $"the store {Path} was opened read-only (its file or file system cannot be written): writes are refused until the server restarts on a writable one");
        return DetachedProblem() is { } detached ? new StoreFaultException(StoreFaultKind.Detached, detached) : null;
    }

    /// <summary>
    /// Why the path no longer names the database this connection has open, or null when it still does. A file deleted
    /// or replaced under a running server would be lost to the next image, which opens whatever the path names: every
    /// write acknowledged since would be gone.
    /// </summary>
    public string? DetachedProblem()
    {
        if (_openedFile is not { } opened) return null;
        var current = FileIdentity.Of(Path, out var errno);
        if (current is null)
            return errno == 2
                ? $"the store {Path} was deleted while the server ran: the data is only in this process's open file"
                : null;
        return current.Value.IsSameFileAs(opened)
            ? null
            : $"the store {Path} was replaced while the server ran ({current.Value} is not the open {opened}): writes are refused";
    }

    /// <summary>
    /// Folds the WAL into the database file. Closing skips this (it is on the restart path), so a server that ends
    /// for good does it here: then <c>orchestrator.db</c> alone holds everything, e.g. for a backup. Returns why it
    /// could not (read-only, full, locked), or null.
    /// </summary>
    public string? Checkpoint()
    {
        try
        {
            using var held = Enter(DefaultWait);
            if (_connection is null || _readOnly) return null;
            Execute(_connection, "PRAGMA wal_checkpoint(TRUNCATE)");
            return null;
        }
        catch (SqliteException ex)
        {
            return $"checkpoint of {Path} failed: {ex.Message}";
        }
        catch (StoreFaultException ex)
        {
            return $"checkpoint of {Path} failed: {ex.Message}";
        }
    }

    /// <summary>Round trip of a trivial query against the real file, in milliseconds.</summary>
    public double Probe() => Probe(DefaultWait).Milliseconds;

    /// <summary>
    /// Probes the store within <paramref name="bound"/>: a real query, then whether a write could begin now (SQLite's
    /// write lock taken and released, nothing written). The problem found (read-only, locked, deleted or replaced,
    /// damaged), or null, and the round trip.
    /// </summary>
    public (double Milliseconds, StoreFaultException? Problem) Probe(TimeSpan bound)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var held = Enter(bound);
            var connection = Connection;
            using (var command = connection.CreateCommand())
            {
                command.CommandText = "SELECT count(*) FROM sqlite_master";
                command.ExecuteScalar();
            }
            var milliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (WriteRefusal() is { } refusal) return (milliseconds, refusal);
            AllowWait(connection, bound);
            try
            {
                Execute(connection, "BEGIN IMMEDIATE; ROLLBACK;");
            }
            finally
            {
                AllowWait(connection, DefaultWait);
            }
            return (milliseconds, null);
        }
        catch (SqliteException ex) when (StoreFaultException.From(ex, Path) is { } fault)
        {
            return (Stopwatch.GetElapsedTime(started).TotalMilliseconds, fault);
        }
        catch (StoreFaultException fault)
        {
            return (Stopwatch.GetElapsedTime(started).TotalMilliseconds, fault);
        }
    }

    public void Dispose() => Close();

    private SqliteConnection Connection => _connection ?? throw new InvalidOperationException("database is closed");

    /// <summary>Takes the store's lock, waiting at most <paramref name="bound"/>; released when the result is disposed.</summary>
    private Held Enter(TimeSpan bound)
    {
        if (!_lock.TryEnter(bound))
            throw new StoreFaultException(StoreFaultKind.Locked,
                $"the store {Path} stayed busy for {bound.TotalSeconds:0.###} s: another operation of this server holds it");
        return new Held(_lock);
    }

    private readonly struct Held(Lock held) : IDisposable
    {
        public void Dispose() => held.Exit();
    }

    /// <summary>How long SQLite (and Microsoft.Data.Sqlite's own retries) wait for another process's lock before SQLITE_BUSY.</summary>
    private static void AllowWait(SqliteConnection connection, TimeSpan wait)
    {
        SQLitePCL.raw.sqlite3_busy_timeout(connection.Handle, (int)Math.Max(0, wait.TotalMilliseconds));
        // Microsoft.Data.Sqlite retries a busy statement until this many seconds have passed (0 would mean forever).
        connection.DefaultTimeout = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
    }

    internal static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
