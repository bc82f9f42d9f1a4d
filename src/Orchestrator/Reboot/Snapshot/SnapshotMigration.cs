namespace Orchestrator.Reboot.Snapshot;

/// <summary>
/// Which snapshot format versions this build reads, and the older layouts of what later versions changed: version 2
/// packed the suspended-subtask ids (version 1 wrote <c>i32</c> lengths), version 3 dropped the progress token that
/// versions 1 and 2 wrote after the request id. A live
/// upgrade (a restart that execs a newer binary, see <see cref="LiveUpgrade"/>) hands the new image a snapshot written
/// by the old one: the version before is migrated as it is read; a version from the future was written by a release
/// this build does not know and is refused (STATE_CORRUPTION, the server starts from durable state), never guessed at.
/// </summary>
internal static class SnapshotMigration
{
    /// <summary>Why a snapshot of <paramref name="version"/> cannot be read, or null when it can.</summary>
    public static string? Unreadable(ushort version)
    {
        var readable = $"this build reads {SnapshotFormat.OldestReadableVersion} to {SnapshotFormat.CurrentVersion}";
        return version switch
        {
            > SnapshotFormat.CurrentVersion =>
                $"snapshot format version {version} is not supported ({readable}): it was written by a newer release, its state is not trusted",
            < SnapshotFormat.OldestReadableVersion => $"snapshot format version {version} is not supported ({readable})",
            _ => null,
        };
    }

    /// <summary>Version 1 suspended subtasks: <c>count:i32</c>, then per id <c>length:i32</c> and its UTF-8 bytes.</summary>
    public static IReadOnlyList<string> ReadSuspendedSubtasksV1(ref SnapshotReader.Decoder section)
    {
        var count = section.Int32();
        if (count < 0 || count > 10_000_000) throw new SnapshotCorruptException("snapshot suspended-subtask section malformed");
        var ids = new List<string>(Math.Min(count, 1024));
        for (var i = 0; i < count; i++) ids.Add(section.String());
        return ids;
    }

    /// <summary>
    /// The version-1 layout, written only by a build that emulates that release (the test suite's
    /// build-identity hook), so that reading it is proven end to end through a real restart.
    /// </summary>
    public static void WriteSuspendedSubtasksV1(SnapshotWriter.Encoder section, IReadOnlyList<string> ids)
    {
        section.Int32(ids.Count);
        foreach (var id in ids) section.String(id);
    }

    /// <summary>Versions 1 and 2: the restart call's progress token (a nullable string) after its request id, never read back.</summary>
    public static void SkipProgressTokenV2(ref SnapshotReader.Decoder section) => section.NullableString();

    /// <summary>The version-1/2 progress token, written (as absent) only by a build that emulates one of those releases.</summary>
    public static void WriteProgressTokenV2(SnapshotWriter.Encoder section) => section.NullableString(null);
}
