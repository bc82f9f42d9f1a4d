using Microsoft.Data.Sqlite;

namespace Orchestrator.Storage;

/// <summary>
/// What keeps the store from doing its work, as opposed to a bug in a query: each kind is answered with the seed's error
/// code that says it (the layers above map it), never as an internal error.
/// </summary>
internal enum StoreFaultKind
{
    /// <summary>The database cannot be written: read-only files or file system.</summary>
    ReadOnly,

    /// <summary>The file system has no room left.</summary>
    Full,

    /// <summary>Another process (or a long operation) held the database's lock past the wait allowed.</summary>
    Locked,

    /// <summary>The path no longer names the database this process has open: it was deleted or replaced.</summary>
    Detached,

    /// <summary>SQLite found the file damaged or not a database.</summary>
    Corrupt,

    /// <summary>Another I/O failure.</summary>
    Failed,
}

/// <summary>A store operation refused or failed for a reason of the environment (<see cref="StoreFaultKind"/>); nothing was written.</summary>
internal sealed class StoreFaultException(StoreFaultKind kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public StoreFaultKind Kind { get; } = kind;

    /// <summary>The fault an SQLite error stands for, or null for an error of the query itself (a bug: left to propagate).</summary>
    public static StoreFaultException? From(SqliteException error, string path) => (error.SqliteErrorCode & 0xff) switch
    {
        5 or 6 => new(StoreFaultKind.Locked, $"the store {path} is locked by another process: {error.Message}", error),
        8 => new(StoreFaultKind.ReadOnly, $"the store {path} is read-only: {error.Message}", error),
        13 => new(StoreFaultKind.Full, $"the store {path} cannot grow, the disk is full: {error.Message}", error),
        11 or 26 => new(StoreFaultKind.Corrupt, $"the store {path} is damaged: {error.Message}", error),
        10 or 14 or 15 => new(StoreFaultKind.Failed, $"the store {path} failed: {error.Message}", error),
        _ => null,
    };
}
