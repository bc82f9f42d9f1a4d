using Microsoft.Data.Sqlite;
using Orchestrator.Reboot.Contract;
using Orchestrator.Storage;

namespace Orchestrator.Reboot;

/// <summary>The store as the health check and shutdown_prepare see it: probed with a real query, or why it is not open.</summary>
internal sealed class StoreHealth(Database? database, string? error, string path)
{
    public int PendingTransactions => database?.PendingTransactions ?? 0;

    public bool IsOpen => database?.IsOpen == true;

    public DatabaseHealth Probe()
    {
        if (database is null) return new DatabaseHealth { Connected = false, Status = error ?? "not opened", Path = path };
        try
        {
            var milliseconds = database.Probe();
            return new DatabaseHealth { Connected = true, Status = "ok", ProbeMilliseconds = Math.Round(milliseconds, 3), Path = database.Path };
        }
        catch (Exception ex) when (ex is SqliteException or InvalidOperationException)
        {
            return new DatabaseHealth { Connected = false, Status = "probe failed: " + ex.Message, Path = database.Path };
        }
    }
}
