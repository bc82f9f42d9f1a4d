using System.Buffers.Binary;
using System.Text;
using Orchestrator.Reboot.Snapshot;

namespace Orchestrator.Tests.Unit;

/// <summary>
/// Snapshot format versions across a live upgrade: versions 1 and 2 (the releases before) are read through the
/// migration, version 2 on packs the suspended-subtask ids and names its writer, version 3 drops the progress token,
/// a version from the future is refused.
/// </summary>
public class SnapshotMigrationTests
{
    private const ulong DirId = 0x1234_5678_9ABC_DEF0;

    private static RestartSnapshot WithWriter(string? version) =>
        SnapshotCodecTests.Sample() with { Pending = SnapshotCodecTests.Sample().Pending with { WriterVersion = version } };

    private static byte[] Encode(RestartSnapshot snapshot, ushort version) => SnapshotWriter.Encode(snapshot, DirId, 1_760_000_000_456, 4242, version);

    /// <summary>The body of the section with <paramref name="tag"/>, found by walking the section headers.</summary>
    private static byte[] SectionBody(byte[] file, SnapshotFormat.Section tag)
    {
        for (var at = SnapshotFormat.HeaderSize; at < file.Length;)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(at + 2));
            if (BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(at)) == (ushort)tag) return file.AsSpan(at + 6, length).ToArray();
            at += 6 + length;
        }
        throw new InvalidOperationException($"no section {tag}");
    }

    /// <summary>Payload CRC, then header CRC (bytes 0..63 with 28..31 zeroed), computed here.</summary>
    private static byte[] Reseal(byte[] file)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(24), Crc32C.Compute(file.AsSpan(SnapshotFormat.HeaderSize)));
        var header = file.AsSpan(0, SnapshotFormat.HeaderSize).ToArray();
        header.AsSpan(28, 4).Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(28), Crc32C.Compute(header));
        return file;
    }

    [Test]
    public async Task A_version_1_snapshot_is_read_through_the_migration_with_everything_it_carried()
    {
        var original = WithWriter("0.9.0");
        var bytes = Encode(original, 1);
        await Assert.That(BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8))).IsEqualTo((ushort)1);

        var decoded = SnapshotReader.Decode(bytes, DirId);

        await Assert.That(decoded.FormatVersion).IsEqualTo((ushort)1);
        // Format 1 did not record its writer's version; everything else comes through.
        await Assert.That(decoded.Pending).IsEqualTo(original.Pending with { WriterVersion = null });
        await Assert.That(decoded.Session).IsEqualTo(original.Session);
        await Assert.That(decoded.RateLimits.SequenceEqual(original.RateLimits)).IsTrue();
        await Assert.That(decoded.ReplayBytes.SequenceEqual(original.ReplayBytes)).IsTrue();
        await Assert.That(decoded.SuspendedSubtasks.ToArray()).IsEquivalentTo(original.SuspendedSubtasks, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        // Resource subscriptions (section 7) came later: a version-1 image carried none.
        await Assert.That(decoded.Subscriptions).IsNull();
    }

    [Test]
    public async Task Resource_subscriptions_are_carried_by_the_current_version_only()
    {
        var original = WithWriter("1.5.0");
        var current = SnapshotReader.Decode(Encode(original, SnapshotFormat.CurrentVersion), DirId);
        await Assert.That(current.Subscriptions!.Uris).IsEquivalentTo(original.Subscriptions!.Uris, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(current.Subscriptions.ChangeMark).IsEqualTo(original.Subscriptions.ChangeMark);
        var v2 = SnapshotReader.Decode(Encode(original, 2), DirId);
        await Assert.That(v2.Subscriptions).IsNull();
        await Assert.That(v2.SuspendedSubtasks.ToArray()).IsEquivalentTo(original.SuspendedSubtasks, TUnit.Assertions.Enums.CollectionOrdering.Matching);
    }

    [Test]
    public async Task The_version_1_subtask_section_is_read_in_the_layout_that_release_wrote()
    {
        // Built here from the version-1 layout (count:i32, then length:i32 + UTF-8 per id), not by the writer under test.
        string[] ids = ["sub_0123456789ab", "sub_ünï", ""];
        var body = new List<byte>();
        body.AddRange(BitConverter.GetBytes(ids.Length));
        foreach (var id in ids)
        {
            var utf8 = Encoding.UTF8.GetBytes(id);
            body.AddRange(BitConverter.GetBytes(utf8.Length));
            body.AddRange(utf8);
        }
        var v1 = Encode(SnapshotCodecTests.Sample() with { SuspendedSubtasks = ["placeholder"] }, 1);
        var old = SectionBody(v1, SnapshotFormat.Section.SuspendedSubtasks);
        var start = v1.AsSpan().IndexOf(old);
        byte[] rebuilt = [.. v1.AsSpan(0, start - 4), .. BitConverter.GetBytes(body.Count), .. body, .. v1.AsSpan(start + old.Length)];
        BinaryPrimitives.WriteUInt64LittleEndian(rebuilt.AsSpan(16), (ulong)(rebuilt.Length - SnapshotFormat.HeaderSize));

        var decoded = SnapshotReader.Decode(Reseal(rebuilt), DirId);

        await Assert.That(decoded.SuspendedSubtasks.ToArray()).IsEquivalentTo(ids, TUnit.Assertions.Enums.CollectionOrdering.Matching);
    }

    [Test]
    public async Task A_version_2_snapshot_is_read_with_its_progress_token_skipped()
    {
        // Built here in the version-2 layout of the pending-restart section: the request id, then a progress token
        // (written by that release for a call that asked for progress), then the rest as version 3 writes it.
        var original = WithWriter("1.1.0");
        var v2 = Encode(original, 2);
        var old = SectionBody(v2, SnapshotFormat.Section.PendingRestart);
        var idLength = BinaryPrimitives.ReadInt32LittleEndian(old);
        await Assert.That(BinaryPrimitives.ReadInt32LittleEndian(old.AsSpan(4 + idLength))).IsEqualTo(-1); // the writer's absent token
        var token = Encoding.UTF8.GetBytes("{\"token\":42}");
        byte[] body = [.. old.AsSpan(0, 4 + idLength), .. BitConverter.GetBytes(token.Length), .. token, .. old.AsSpan(4 + idLength + 4)];
        var start = v2.AsSpan().IndexOf(old);
        byte[] rebuilt = [.. v2.AsSpan(0, start - 4), .. BitConverter.GetBytes(body.Length), .. body, .. v2.AsSpan(start + old.Length)];
        BinaryPrimitives.WriteUInt64LittleEndian(rebuilt.AsSpan(16), (ulong)(rebuilt.Length - SnapshotFormat.HeaderSize));

        var decoded = SnapshotReader.Decode(Reseal(rebuilt), DirId);

        await Assert.That(decoded.FormatVersion).IsEqualTo((ushort)2);
        await Assert.That(decoded.Pending).IsEqualTo(original.Pending);
        await Assert.That(decoded.Session).IsEqualTo(original.Session);
        await Assert.That(decoded.SuspendedSubtasks.SequenceEqual(original.SuspendedSubtasks)).IsTrue();
    }

    [Test]
    public async Task Version_3_writes_no_progress_token_after_the_request_id()
    {
        var pending = SectionBody(Encode(WithWriter("1.4.0"), SnapshotFormat.CurrentVersion), SnapshotFormat.Section.PendingRestart);
        var v2Pending = SectionBody(Encode(WithWriter("1.4.0"), 2), SnapshotFormat.Section.PendingRestart);
        // The same section minus the 4-byte length of the absent token.
        await Assert.That(pending.Length).IsEqualTo(v2Pending.Length - 4);
        var idLength = BinaryPrimitives.ReadInt32LittleEndian(pending);
        await Assert.That(pending[4 + idLength]).IsEqualTo((byte)0); // graceful: false, right after the id
    }

    [Test]
    public async Task Version_2_on_packs_the_ids_with_u16_lengths_and_names_its_writer()
    {
        var bytes = Encode(WithWriter("1.4.0"), SnapshotFormat.CurrentVersion);
        var body = SectionBody(bytes, SnapshotFormat.Section.SuspendedSubtasks);
        // count, then 2 ids of 16 bytes each with a 2-byte length: 4 + 2 * 18.
        await Assert.That(body.Length).IsEqualTo(40);
        await Assert.That(BinaryPrimitives.ReadUInt16LittleEndian(body.AsSpan(4))).IsEqualTo((ushort)16);

        var decoded = SnapshotReader.Decode(bytes, DirId);
        await Assert.That(decoded.FormatVersion).IsEqualTo(SnapshotFormat.CurrentVersion);
        await Assert.That(decoded.Pending.WriterVersion).IsEqualTo("1.4.0");
    }

    [Test]
    public async Task A_snapshot_from_a_future_release_is_refused_as_such()
    {
        var future = (ushort)(SnapshotFormat.CurrentVersion + 1);
        var message = Assert.Throws<SnapshotCorruptException>(() => SnapshotReader.Decode(Encode(WithWriter("99.0.0"), future), DirId)).Message;
        await Assert.That(message).Contains($"format version {future} is not supported");
        await Assert.That(message).Contains("written by a newer release");
        await Assert.That(message).Contains("not trusted");
    }

    [Test]
    public async Task A_hundred_thousand_packed_ids_round_trip_by_index_and_in_order()
    {
        var ids = Enumerable.Range(0, 100_000).Select(i => $"sub_{i:x12}").Append("sub_ünïcødé").ToArray();
        var decoded = SnapshotReader.Decode(Encode(SnapshotCodecTests.Sample() with { SuspendedSubtasks = ids }, SnapshotFormat.CurrentVersion), DirId);

        await Assert.That(decoded.SuspendedSubtasks).IsTypeOf<PackedIdList>();
        await Assert.That(decoded.SuspendedSubtasks.Count).IsEqualTo(ids.Length);
        await Assert.That(decoded.SuspendedSubtasks.SequenceEqual(ids)).IsTrue();
        await Assert.That(decoded.SuspendedSubtasks[^1]).IsEqualTo("sub_ünïcødé");
        await Assert.That(decoded.SuspendedSubtasks[54_321]).IsEqualTo(ids[54_321]);
    }

    [Test]
    [Arguments(1)]   // one more id than the entries hold
    [Arguments(-1)]  // one fewer: bytes left over
    public async Task Packed_ids_that_do_not_exactly_fill_their_section_are_refused(int countChange)
    {
        var bytes = Encode(SnapshotCodecTests.Sample(), SnapshotFormat.CurrentVersion);
        var body = SectionBody(bytes, SnapshotFormat.Section.SuspendedSubtasks);
        var at = bytes.AsSpan().IndexOf(body);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at), 2 + countChange);

        var message = Assert.Throws<SnapshotCorruptException>(() => SnapshotReader.Decode(Reseal(bytes), DirId)).Message;
        await Assert.That(message).Contains("snapshot").And.Contains(countChange > 0 ? "overruns" : "malformed");
    }
}
