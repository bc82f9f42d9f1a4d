namespace Orchestrator.Reboot.Snapshot;

/// <summary>
/// Layout of the restart snapshot (little-endian). A 64-byte header, then sections of <c>tag:u16 length:u32 bytes</c>.
/// <code>
///  0  magic "ORCHSNAP"        8  format version u16   10 flags u16 (bit 0: state preserved)
/// 12  header size u32 (64)   16  payload length u64    24 payload CRC-32C u32
/// 28  header CRC-32C u32 of bytes 0..27, computed with this field's bytes excluded
/// 32  data-directory id u64  40  created, Unix ms i64  48  writer pid i32   52..63 reserved (zero)
/// </code>
/// A reader refuses a snapshot whose magic, version, sizes, checksums or data-directory id do not match.
/// <para>
/// Version 3 (this build) drops the restart call's progress token from the pending-restart section: the new image
/// reports completion in the answer itself and never sent progress with it. Version 2 packed the suspended-subtask ids
/// (<c>u16</c> lengths, decoded lazily: a million of them restore without a million strings on the restart path) and
/// added the writer's server version. Versions 1 and 2, written by the releases before, are read through
/// <see cref="SnapshotMigration"/> so that a live upgrade from them keeps its session and work; a version above
/// <see cref="CurrentVersion"/> was written by a newer release and is refused, never guessed at.
/// </para>
/// </summary>
internal static class SnapshotFormat
{
    public const int HeaderSize = 64;
    public const ushort CurrentVersion = 3;

    /// <summary>The oldest version this build still reads (through <see cref="SnapshotMigration"/>).</summary>
    public const ushort OldestReadableVersion = 1;
    public static ReadOnlySpan<byte> Magic => "ORCHSNAP"u8;

    public const ushort FlagStatePreserved = 1;

    public enum Section : ushort
    {
        PendingRestart = 1,
        ReplayBytes = 2,
        Session = 3,
        RateLimits = 4,
        SuspendedSubtasks = 5,
        HttpSessions = 6,
        /// <summary>The stdio client's resource subscriptions and the last change it was told of (written only when there are any).</summary>
        Subscriptions = 7,

        /// <summary>The writer's restart generation and the fingerprints of the lists it served (<see cref="ImageLineage"/>).</summary>
        Lineage = 8,

        /// <summary>
        /// The response streams Streamable HTTP keeps for clients to resume (written only when there are any): bytes the
        /// HTTP transport encodes and decodes itself (<c>Http/SseStreamHandover</c>); the restart system carries them unread.
        /// </summary>
        HttpEventStreams = 9,

        /// <summary>
        /// The resource subscriptions of Streamable HTTP sessions, and the list changes they are yet to hear of (written only
        /// when there are any): bytes of the HTTP transport's own (<c>Http/HttpSubscriptionHandover</c>), carried unread.
        /// </summary>
        HttpSubscriptions = 10,
    }

    /// <summary>A stable id of the data directory, so that a snapshot written for one store is never applied to another.</summary>
    public static ulong DataDirectoryId(string canonicalPath) => Tooling.Fnv1a.Of(System.Text.Encoding.UTF8.GetBytes(canonicalPath));
}
