using Microsoft.Data.Sqlite;
using Orchestrator.Reboot.Contract;
using Orchestrator.Storage;

namespace Orchestrator.Reboot;

/// <summary>
/// The store as the health check and shutdown_prepare see it, within <see cref="ProbeBound"/>: probed with a real query
/// and a write that begins and rolls back (nothing written), so that a store that answers reads but cannot take writes is
/// reported as such: read-only, locked by another process, its file deleted or replaced under the running server, or its
/// disk full. Or why it is not open at all.
/// </summary>
internal sealed class StoreHealth(Database? database, string? error, string path, string dataDirectory)
{
    /// <summary>The longest a health probe waits for the store (this server's lock, another process's write lock).</summary>
    public static readonly TimeSpan ProbeBound = TimeSpan.FromSeconds(1);

    public int PendingTransactions => database?.PendingTransactions ?? 0;

    public bool IsOpen => database?.IsOpen == true;

    public DatabaseHealth Probe()
    {
        if (database is null) return new DatabaseHealth { Connected = false, Writable = false, Status = error ?? "not opened", Path = path };
        try
        {
            var (milliseconds, problem) = database.Probe(ProbeBound);
            var disk = DiskSpace.Problem(dataDirectory);
            var status = problem?.Kind switch
            {
                null => disk ?? "ok",
                StoreFaultKind.Locked => "locked: " + problem.Message,
                StoreFaultKind.ReadOnly => "read-only: " + problem.Message,
                StoreFaultKind.Detached => "detached: " + problem.Message,
                StoreFaultKind.Full => "full: " + problem.Message,
                _ => "failing: " + problem.Message,
            };
            return new DatabaseHealth
            {
                Connected = true,
                Writable = problem is null && disk is null,
                Status = status,
                ProbeMilliseconds = Math.Round(milliseconds, 3),
                Path = database.Path,
            };
        }
        catch (Exception ex) when (ex is SqliteException or InvalidOperationException)
        {
            return new DatabaseHealth { Connected = false, Writable = false, Status = "probe failed: " + ex.Message, Path = database.Path };
        }
    }
}
