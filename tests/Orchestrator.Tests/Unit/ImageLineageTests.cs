using System.Buffers.Binary;
using Orchestrator.Native;
using Orchestrator.Reboot;
using Orchestrator.Reboot.Snapshot;
using Orchestrator.Tooling;

namespace Orchestrator.Tests.Unit;

/// <summary>
/// What an image tells the next about itself: the lineage section of the snapshot (generation, served lists), which lists
/// count as changed, the tools' fingerprint, and the reading of a GNU build-id note.
/// </summary>
public class ImageLineageTests
{
    private const ulong DirId = 77;

    private static RestartSnapshot WithLineage(ImageLineage? lineage) => SnapshotCodecTests.Sample() with { Lineage = lineage };

    [Test]
    public async Task The_lineage_round_trips_through_the_snapshot()
    {
        var lineage = new ImageLineage(41, [new ServedList("tools", ulong.MaxValue - 3), new ServedList("prompts", 5)]);
        var file = SnapshotWriter.Encode(WithLineage(lineage), DirId, 1, 2);

        var read = SnapshotReader.Decode(file, DirId).Lineage!;

        await Assert.That(read.Generation).IsEqualTo(41);
        await Assert.That(read.Served.SequenceEqual(lineage.Served)).IsTrue();
    }

    [Test]
    public async Task A_snapshot_without_the_section_reads_as_no_lineage()
    {
        var file = SnapshotWriter.Encode(WithLineage(null), DirId, 1, 2);

        await Assert.That(SnapshotReader.Decode(file, DirId).Lineage).IsNull();
    }

    [Test]
    [Arguments(-1, 1)]
    [Arguments(0, 65)]
    [Arguments(0, -2)]
    public async Task A_malformed_lineage_section_is_refused(int generation, int lists)
    {
        var file = SnapshotWriter.Encode(WithLineage(new ImageLineage(3, [])), DirId, 1, 2);
        // The lineage section is written last: tag, length, then generation and count.
        var body = file.Length - 8;
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(body), generation);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(body + 4), lists);
        Reseal(file);

        await Assert.That(() => SnapshotReader.Decode(file, DirId)).Throws<SnapshotCorruptException>().WithMessageContaining("lineage");
    }

    [Test]
    public async Task Only_the_lists_whose_fingerprint_differs_count_as_changed()
    {
        var before = new ImageLineage(2, [new ServedList("tools", 1), new ServedList("prompts", 2), new ServedList("resources", 3)]);

        await Assert.That(ImageLineage.ChangedKinds(before, before.Served)).IsEmpty();
        await Assert.That(ImageLineage.ChangedKinds(before, [new("tools", 9), new("prompts", 2), new("resources", 3)]))
            .IsEquivalentTo(new[] { "tools" });
        // A list only one of the two images serves changed too.
        await Assert.That(ImageLineage.ChangedKinds(before, [new("tools", 1), new("prompts", 2)])).IsEquivalentTo(new[] { "resources" });
        await Assert.That(ImageLineage.ChangedKinds(new ImageLineage(0, [new("tools", 1)]), [new("tools", 1), new("prompts", 2)]))
            .IsEquivalentTo(new[] { "prompts" });
        // No lineage: a release before lineages existed wrote the snapshot, so everything may have changed.
        await Assert.That(ImageLineage.ChangedKinds(null, [new("tools", 1), new("prompts", 2)])).IsEquivalentTo(new[] { "prompts", "tools" });
    }

    [Test]
    public async Task The_tools_fingerprint_follows_what_tools_list_answers()
    {
        var all = GeneratedTools.All;
        var limits = new RateLimiter(false, TimeProvider.System, all);
        var everything = new ToolTable(all, _ => true, limits).Fingerprint();

        await Assert.That(new ToolTable(all, _ => true, limits).Fingerprint()).IsEqualTo(everything);
        await Assert.That(new ToolTable(all, g => g == "reboot", limits).Fingerprint()).IsNotEqualTo(everything);
        // One description changed is another list.
        var edited = all.Select((t, i) => i == 0 ? t with { Description = t.Description + "." } : t).ToArray();
        await Assert.That(new ToolTable(edited, _ => true, limits).Fingerprint()).IsNotEqualTo(everything);
    }

    [Test]
    public async Task A_gnu_build_id_note_is_found_among_other_notes()
    {
        byte[] id = [0xde, 0xad, 0xbe, 0xef, 0x01, 0x02, 0x03];
        var notes = Note(1, "GNU\0"u8.ToArray(), [1, 2, 3, 4]) // an ABI tag first
            .Concat(Note(3, "XYZ\0"u8.ToArray(), [9, 9]))        // type 3 of another vendor
            .Concat(Note(3, "GNU\0"u8.ToArray(), id)).ToArray();

        await Assert.That(ElfBuildId.Find(notes)).IsEqualTo("deadbeef010203");
        await Assert.That(ElfBuildId.Find(notes.AsSpan(0, notes.Length - 3))).IsNull(); // truncated: not guessed at
        await Assert.That(ElfBuildId.Find(Note(1, "GNU\0"u8.ToArray(), [1]))).IsNull();
    }

    /// <summary>The running test host is an ELF executable too: whatever it carries, reading it from memory must not fail.</summary>
    [Test]
    public async Task The_running_process_build_id_is_hex_or_absent()
    {
        var id = ElfBuildId.OfThisProcess;
        await Assert.That(id is null || (id.Length >= 16 && id.All(Uri.IsHexDigit))).IsTrue();
    }

    private static byte[] Note(uint type, byte[] name, byte[] description)
    {
        static int Padded(int n) => (n + 3) & ~3;
        var note = new byte[12 + Padded(name.Length) + Padded(description.Length)];
        BinaryPrimitives.WriteUInt32LittleEndian(note, (uint)name.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(note.AsSpan(4), (uint)description.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(note.AsSpan(8), type);
        name.CopyTo(note, 12);
        description.CopyTo(note, 12 + Padded(name.Length));
        return note;
    }

    private static void Reseal(byte[] file)
    {
        var payload = file.AsSpan(SnapshotFormat.HeaderSize);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(24), Crc32C.Compute(payload));
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(28), SnapshotWriter.HeaderChecksum(file));
    }
}
