using Orchestrator.Native;

namespace Orchestrator.Reboot;

/// <summary>
/// Whether the file system of the data directory can take what a restart and the store write: not mounted read-only, and
/// at least <see cref="MinimumFreeBytes"/> free. An empty probe file still fits on a full disk, so the snapshot
/// directory's write check alone would call it ready.
/// </summary>
internal static class DiskSpace
{
    /// <summary>Below this the file system is reported full: a snapshot, a WAL page or a history row may no longer fit.</summary>
    public const long MinimumFreeBytes = 1024 * 1024;

    /// <summary>Why <paramref name="path"/>'s file system cannot be written to now, or null (also when it cannot be examined).</summary>
    public static string? Problem(string path)
    {
        if (FileSystemSpace.Of(path, out _) is not { } space) return null;
        if (space.ReadOnly) return $"the file system of {path} is mounted read-only";
        return space.AvailableBytes < MinimumFreeBytes
            ? $"the file system of {path} is full: {space.AvailableBytes} bytes free (at least {MinimumFreeBytes} needed)"
            : null;
    }
}
