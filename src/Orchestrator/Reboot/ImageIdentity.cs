namespace Orchestrator.Reboot;

/// <summary>
/// What this image is to a restart: the server version it reports and records in its snapshot, and the snapshot format it
/// writes (the current one, unless a test build emulates another release; see src/Orchestrator/TestHooks).
/// </summary>
internal sealed record ImageIdentity(string Version, ushort SnapshotFormat);
