using System.Buffers.Binary;
using Orchestrator.Reboot.Snapshot;

namespace Orchestrator.Tests.Reliability;

/// <summary>
/// Damages a real snapshot file on disk the ways the issue lists, each so that exactly one of the reader's checks
/// should catch it (a wrong version comes with a consistent header checksum, so only the version check can refuse it),
/// and names the refusal each must produce.
/// </summary>
internal static class SnapshotDamage
{
    public static readonly string[] Kinds =
        ["truncated-payload", "truncated-header", "payload-bit-flip", "header-bit-flip", "wrong-version", "wrong-checksum", "zero-length", "missing"];

    /// <summary>Rewrites the file at <paramref name="path"/>; returns the words the refusal must contain.</summary>
    public static string Apply(string kind, string path)
    {
        var bytes = File.ReadAllBytes(path);
        var payloadLength = bytes.Length - SnapshotFormat.HeaderSize;
        string expected;
        switch (kind)
        {
            case "truncated-payload":
                bytes = bytes[..(SnapshotFormat.HeaderSize + payloadLength / 2)];
                expected = $"payload should be {payloadLength} bytes, file holds {payloadLength / 2}";
                break;
            case "truncated-header":
                bytes = bytes[..40];
                expected = $"snapshot is 40 bytes, shorter than its {SnapshotFormat.HeaderSize}-byte header";
                break;
            case "payload-bit-flip":
                bytes[SnapshotFormat.HeaderSize + payloadLength / 2] ^= 0x08;
                expected = "payload checksum mismatch";
                break;
            case "header-bit-flip":
                bytes[48] ^= 0x01; // the writer's pid: no other check looks at it
                expected = "header checksum mismatch";
                break;
            case "wrong-version":
                BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), SnapshotFormat.CurrentVersion + 1);
                ResealHeader(bytes);
                expected = $"format version {SnapshotFormat.CurrentVersion + 1} is not supported";
                break;
            case "wrong-checksum":
                var crc = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(24));
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(24), crc ^ 0x00010000);
                ResealHeader(bytes);
                expected = "payload checksum mismatch";
                break;
            case "zero-length":
                bytes = [];
                expected = $"snapshot is 0 bytes, shorter than its {SnapshotFormat.HeaderSize}-byte header";
                break;
            case "missing":
                File.Delete(path);
                return "cannot be read (errno 2)";
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
        File.WriteAllBytes(path, bytes);
        return expected;
    }

    /// <summary>Recomputes the header's own checksum, as a writer of that (wrong) header would have.</summary>
    private static void ResealHeader(byte[] bytes) =>
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(28), SnapshotWriter.HeaderChecksum(bytes.AsSpan(0, SnapshotFormat.HeaderSize)));
}
