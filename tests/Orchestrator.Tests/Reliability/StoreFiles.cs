using Orchestrator.Tests.EndToEnd;

namespace Orchestrator.Tests.Reliability;

/// <summary>What a server that ended cleanly leaves in its data directory: the WAL folded into the database, no snapshot.</summary>
internal static class StoreFiles
{
    /// <summary>The size of <c>orchestrator.db-wal</c>: 0 when absent or truncated by the final checkpoint.</summary>
    public static long WalBytes(string dataDirectory)
    {
        var wal = Path.Combine(dataDirectory, "orchestrator.db-wal");
        return File.Exists(wal) ? new FileInfo(wal).Length : 0;
    }

    /// <summary>Restart snapshots and their temporaries (<c>snapshots/restart-*.snap*</c>).</summary>
    public static string[] Snapshots(string dataDirectory)
    {
        var directory = Path.Combine(dataDirectory, "snapshots");
        return Directory.Exists(directory) ? Directory.GetFiles(directory, "restart-*.snap*") : [];
    }

    /// <summary>Everything a clean end promises: exit status 0, the WAL folded, no snapshot left, the database sound.</summary>
    public static async Task AssertEndedCleanlyAsync(int exitStatus, string dataDirectory, string stderr)
    {
        await Assert.That(exitStatus).IsEqualTo(0);
        await Assert.That(stderr).DoesNotContain("Unhandled exception");
        await Assert.That(WalBytes(dataDirectory)).IsEqualTo(0L);
        await Assert.That(Snapshots(dataDirectory)).IsEmpty();
        await Assert.That(StoreDump.IntegrityCheck(dataDirectory)).IsEqualTo("ok");
    }
}
