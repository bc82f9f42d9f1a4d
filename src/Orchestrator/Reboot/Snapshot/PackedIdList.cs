using System.Buffers.Binary;
using System.Collections;
using System.Text;

namespace Orchestrator.Reboot.Snapshot;

/// <summary>
/// The suspended-subtask ids of a version-2 snapshot: <c>count:i32</c>, then per id <c>length:u16</c> and its UTF-8
/// bytes. Read back as one block copied out of the mapping, its strings made on demand: the restart path (answer the
/// call, open the store) never looks at them, and resuming them in the store walks them once. A million ids therefore
/// cost one copy and one validating pass at restore, not a million string allocations.
/// </summary>
internal sealed class PackedIdList : IReadOnlyList<string>
{
    private const string Malformed = "snapshot suspended-subtask section malformed";
    private readonly byte[] _entries;
    private int[]? _offsets;

    private PackedIdList(byte[] entries, int count) => (_entries, Count) = (entries, count);

    public int Count { get; }

    public static void Write(SnapshotWriter.Encoder section, IReadOnlyList<string> ids)
    {
        section.Int32(ids.Count);
        foreach (var id in ids) section.ShortString(id);
    }

    /// <summary>Checks that exactly <c>count</c> entries fill the section (the checksum cannot catch a writer's bug), then copies them.</summary>
    public static PackedIdList Read(ReadOnlySpan<byte> section)
    {
        if (section.Length < 4) throw new SnapshotCorruptException(Malformed);
        var count = BinaryPrimitives.ReadInt32LittleEndian(section);
        var entries = section[4..];
        if (count < 0 || count > entries.Length / 2) throw new SnapshotCorruptException(Malformed);
        var at = 0;
        for (var i = 0; i < count; i++)
        {
            if (entries.Length - at < 2) throw new SnapshotCorruptException("snapshot section overruns its bounds");
            at += 2 + BinaryPrimitives.ReadUInt16LittleEndian(entries[at..]);
            if (at > entries.Length) throw new SnapshotCorruptException("snapshot section overruns its bounds");
        }
        if (at != entries.Length) throw new SnapshotCorruptException(Malformed);
        // Uninitialized: every byte is overwritten at once, and zeroing megabytes first would cost as much as the copy.
        var copy = GC.AllocateUninitializedArray<byte>(entries.Length);
        entries.CopyTo(copy);
        return new PackedIdList(copy, count);
    }

    public string this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            _offsets ??= Offsets();
            return At(_offsets[index]);
        }
    }

    public IEnumerator<string> GetEnumerator()
    {
        var at = 0;
        for (var i = 0; i < Count; i++)
        {
            yield return At(at);
            at += 2 + BinaryPrimitives.ReadUInt16LittleEndian(_entries.AsSpan(at));
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private string At(int offset)
    {
        var length = BinaryPrimitives.ReadUInt16LittleEndian(_entries.AsSpan(offset));
        return Encoding.UTF8.GetString(_entries, offset + 2, length);
    }

    private int[] Offsets()
    {
        var offsets = new int[Count];
        var at = 0;
        for (var i = 0; i < Count; i++)
        {
            offsets[i] = at;
            at += 2 + BinaryPrimitives.ReadUInt16LittleEndian(_entries.AsSpan(at));
        }
        return offsets;
    }
}
