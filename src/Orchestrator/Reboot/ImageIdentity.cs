using Orchestrator.Reboot.Snapshot;
using Orchestrator.Storage;

namespace Orchestrator.Reboot;

/// <summary>
/// What this image is to a restart: the server version it reports and records in its snapshot, the snapshot format it
/// writes (the current one, unless a test build emulates another release; see src/Orchestrator/TestHooks), the formats
/// it reads (from the oldest still migrated up to the one it writes: a release reads what it and those before it wrote),
/// and the store schema it knows. The last three are what the image about to be exec'd must match
/// (<see cref="HandoverProbe"/>).
/// </summary>
internal sealed record ImageIdentity(string Version, ushort SnapshotFormat)
{
    public const string Name = "orchestrator";

    /// <summary>The newest store schema version this image migrates to and reads.</summary>
    public int SchemaVersion { get; init; } = Migrations.Latest;

    public ushort OldestReadableSnapshotFormat => Snapshot.SnapshotFormat.OldestReadableVersion;

    public ushort NewestReadableSnapshotFormat => SnapshotFormat;
}
