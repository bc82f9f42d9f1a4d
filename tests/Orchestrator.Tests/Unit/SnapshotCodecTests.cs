using System.Buffers.Binary;
using System.Text;
using Orchestrator.Reboot.Snapshot;
using Orchestrator.Tooling;

namespace Orchestrator.Tests.Unit;

/// <summary>The binary restart snapshot: encode/decode round trips, every refusal with its reason, atomic file writes, fuzzing.</summary>
public class SnapshotCodecTests
{
    private const ulong DirId = 0x1234_5678_9ABC_DEF0;
    private const long Created = 1_760_000_000_456;
    private const int Pid = 4242;

    internal static RestartSnapshot Sample(byte[]? replay = null, bool session = true, bool preserved = true) => new()
    {
        Pending = new PendingRestart("\"req-7\"", Graceful: false, PreserveState: preserved, Timeout: 120,
            Reason: "schema_migration ✓ ünïcødé", StartedUnixMs: 1_760_000_000_123, StartedTimestamp: 987_654_321_012, HistoryId: 17),
        ReplayBytes = replay ?? "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/list\"}\n{\"jsonrpc\":\"2.0\",\"method\":\"ping\",\"id\":4}\n"u8.ToArray(),
        Session = session ? new SessionSnapshot("5f1c0e", 1_759_999_000_000, "2025-06-18", "{\"name\":\"client\",\"version\":\"1.2\"}",
            "{\"roots\":{}}", Initialized: true, RestartsSurvived: 3) : null,
        RateLimits =
        [
            new RateLimitEntry("stdio", "orchestrator_restart_server", 1_760_000_000_001),
            new RateLimitEntry("stdio", "orchestrator_restart_status", 1_760_000_000_002),
            new RateLimitEntry("other client", "orchestrator_reconnect_test", -5),
        ],
        SuspendedSubtasks = ["sub_0123456789ab", "sub_ba9876543210"],
        Subscriptions = new SubscriptionsSnapshot(4711, ["orchestrator://tasks/task_0123456789ab", "orchestrator://artifacts/ärt_ünïcødé"]),
        StatePreserved = preserved,
    };

    internal static byte[] Encode(RestartSnapshot snapshot) => SnapshotWriter.Encode(snapshot, DirId, Created, Pid);

    internal static bool Same(RestartSnapshot a, RestartSnapshot b) =>
        a.Pending == b.Pending && a.Session == b.Session && a.StatePreserved == b.StatePreserved
        && a.ReplayBytes.AsSpan().SequenceEqual(b.ReplayBytes) && a.RateLimits.SequenceEqual(b.RateLimits)
        && a.SuspendedSubtasks.SequenceEqual(b.SuspendedSubtasks)
        && a.Subscriptions?.ChangeMark == b.Subscriptions?.ChangeMark
        && (a.Subscriptions?.Uris ?? []).SequenceEqual(b.Subscriptions?.Uris ?? []);

    /// <summary>Header CRC computed here, independently of <see cref="SnapshotWriter.HeaderChecksum"/>: bytes 0..63 with 28..31 zeroed.</summary>
    private static uint IndependentHeaderCrc(byte[] file)
    {
        var copy = file.AsSpan(0, SnapshotFormat.HeaderSize).ToArray();
        copy.AsSpan(28, 4).Clear();
        return Crc32C.Compute(copy);
    }

    private static void ResealHeader(byte[] file) => BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(28), IndependentHeaderCrc(file));

    /// <summary>Makes every length and checksum agree again, so that only the decoder's structural checks can refuse the file.</summary>
    private static byte[] Reseal(byte[] file)
    {
        var payload = file.AsSpan(SnapshotFormat.HeaderSize);
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(16), (ulong)payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(24), Crc32C.Compute(payload));
        ResealHeader(file);
        return file;
    }

    private static List<(ushort Tag, int Start, int Length)> Sections(byte[] file)
    {
        var list = new List<(ushort, int, int)>();
        var at = SnapshotFormat.HeaderSize;
        while (at < file.Length)
        {
            var tag = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(at));
            var length = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(at + 2));
            list.Add((tag, at, length));
            at += 6 + length;
        }
        return list;
    }

    private static byte[] Rebuild(byte[] file, IEnumerable<byte[]> sections) =>
        Reseal([.. file.AsSpan(0, SnapshotFormat.HeaderSize), .. sections.SelectMany(s => s)]);

    private static byte[] SectionBytes(byte[] file, (ushort Tag, int Start, int Length) s) => file.AsSpan(s.Start, 6 + s.Length).ToArray();

    private static string Refusal(byte[] file, ulong id = DirId) =>
        Assert.Throws<SnapshotCorruptException>(() => SnapshotReader.Decode(file, id)).Message;

    // ---- round trips ----

    [Test]
    public async Task Every_field_survives_a_round_trip()
    {
        var original = Sample();
        var decoded = SnapshotReader.Decode(Encode(original), DirId);
        await Assert.That(decoded.Pending).IsEqualTo(original.Pending);
        await Assert.That(decoded.Session).IsEqualTo(original.Session);
        await Assert.That(decoded.ReplayBytes.SequenceEqual(original.ReplayBytes)).IsTrue();
        await Assert.That(decoded.RateLimits.SequenceEqual(original.RateLimits)).IsTrue();
        await Assert.That(decoded.SuspendedSubtasks).IsEquivalentTo(original.SuspendedSubtasks, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(decoded.Subscriptions!.ChangeMark).IsEqualTo(4711);
        await Assert.That(decoded.Subscriptions.Uris).IsEquivalentTo(original.Subscriptions!.Uris, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(decoded.StatePreserved).IsTrue();
    }

    [Test]
    public async Task Absent_session_null_strings_empty_replay_and_no_rate_limits_round_trip()
    {
        var original = Sample(replay: [], session: false, preserved: false) with
        {
            Pending = new PendingRestart("12", true, false, 10, "", long.MinValue, long.MaxValue, 0),
            RateLimits = [],
            SuspendedSubtasks = [],
            Subscriptions = null,
        };
        var bytes = Encode(original);
        await Assert.That(Sections(bytes).Any(s => s.Tag == (ushort)SnapshotFormat.Section.Subscriptions)).IsFalse();
        var decoded = SnapshotReader.Decode(bytes, DirId);
        await Assert.That(decoded.Pending).IsEqualTo(original.Pending);
        await Assert.That(decoded.Pending.WriterVersion).IsNull();
        await Assert.That(decoded.Session).IsNull();
        await Assert.That(decoded.ReplayBytes.Length).IsEqualTo(0);
        await Assert.That(decoded.RateLimits.Count).IsEqualTo(0);
        await Assert.That(decoded.SuspendedSubtasks.Count).IsEqualTo(0);
        await Assert.That(decoded.Subscriptions).IsNull();
        await Assert.That(decoded.StatePreserved).IsFalse();
    }

    [Test]
    public async Task Session_with_null_optional_fields_round_trips()
    {
        var original = Sample() with { Session = new SessionSnapshot("id", 0, null, null, null, false, 0) };
        var decoded = SnapshotReader.Decode(Encode(original), DirId);
        await Assert.That(decoded.Session).IsEqualTo(original.Session);
    }

    [Test]
    public async Task Empty_strings_are_not_confused_with_null()
    {
        var original = Sample() with
        {
            Pending = Sample().Pending with { WriterVersion = "" },
            Session = new SessionSnapshot("", 1, "", "", "", true, 1),
        };
        var decoded = SnapshotReader.Decode(Encode(original), DirId);
        await Assert.That(decoded.Pending.WriterVersion).IsEqualTo("");
        await Assert.That(decoded.Session).IsEqualTo(original.Session);
    }

    [Test]
    public async Task A_one_megabyte_replay_round_trips_in_memory_and_through_a_file()
    {
        var replay = new byte[1 << 20];
        new Random(7).NextBytes(replay);
        var original = Sample(replay);
        var bytes = Encode(original);
        await Assert.That(bytes.Length).IsGreaterThan(1 << 20);
        await Assert.That(Same(SnapshotReader.Decode(bytes, DirId), original)).IsTrue();

        using var dir = new UnitTempDirectory();
        var path = dir.File("big.snap");
        SnapshotWriter.WriteAtomically(path, bytes);
        var read = SnapshotReader.Read(path, DirId);
        await Assert.That(read.ReplayBytes.SequenceEqual(replay)).IsTrue();
        await Assert.That(Same(read, original)).IsTrue();
    }

    [Test]
    public async Task The_header_follows_the_documented_layout()
    {
        var bytes = Encode(Sample(preserved: true));
        await Assert.That(Encoding.ASCII.GetString(bytes, 0, 8)).IsEqualTo("ORCHSNAP");
        await Assert.That(BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8))).IsEqualTo((ushort)3); // format 3: this build's
        await Assert.That(BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(10))).IsEqualTo((ushort)1);
        await Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(12))).IsEqualTo(64u);
        await Assert.That(BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(16))).IsEqualTo((ulong)(bytes.Length - 64));
        await Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(24))).IsEqualTo(Crc32C.Compute(bytes.AsSpan(64)));
        await Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(28))).IsEqualTo(IndependentHeaderCrc(bytes));
        await Assert.That(BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(32))).IsEqualTo(DirId);
        await Assert.That(BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(40))).IsEqualTo(Created);
        await Assert.That(BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(48))).IsEqualTo(Pid);
        await Assert.That(bytes.AsSpan(52, 12).ToArray().All(b => b == 0)).IsTrue();

        var notPreserved = Encode(Sample(preserved: false));
        await Assert.That(BinaryPrimitives.ReadUInt16LittleEndian(notPreserved.AsSpan(10))).IsEqualTo((ushort)0);
    }

    [Test]
    public async Task Encoding_is_deterministic()
    {
        await Assert.That(Encode(Sample()).SequenceEqual(Encode(Sample()))).IsTrue();
    }

    [Test]
    public async Task Data_directory_id_is_stable_and_distinguishes_paths()
    {
        var a = SnapshotFormat.DataDirectoryId("/var/lib/orchestrator");
        await Assert.That(SnapshotFormat.DataDirectoryId("/var/lib/orchestrator")).IsEqualTo(a);
        await Assert.That(SnapshotFormat.DataDirectoryId("/var/lib/orchestrator2")).IsNotEqualTo(a);
        await Assert.That(SnapshotFormat.DataDirectoryId("")).IsEqualTo(14695981039346656037UL); // FNV-1a 64 offset basis
    }

    // ---- refusals ----

    [Test]
    public async Task Zero_length_and_short_inputs_are_refused()
    {
        await Assert.That(Refusal([])).Contains("shorter than its header");
        await Assert.That(Refusal(Encode(Sample())[..63])).Contains("shorter than its header");
    }

    [Test]
    public async Task Every_truncation_is_refused_with_its_reason()
    {
        var bytes = Encode(Sample());
        var wrong = new List<string>();
        for (var length = 0; length < bytes.Length; length++)
        {
            var message = Refusal(bytes[..length]);
            var expected = length < 64 ? "shorter than its header" : "truncated or padded";
            if (!message.Contains(expected)) wrong.Add($"{length}: {message}");
        }
        await Assert.That(wrong).IsEmpty();
    }

    [Test]
    public async Task Truncation_message_states_both_lengths()
    {
        var bytes = Encode(Sample());
        var message = Refusal(bytes[..^5]);
        await Assert.That(message).Contains($"payload should be {bytes.Length - 64} bytes, file holds {bytes.Length - 69}");
    }

    [Test]
    public async Task Trailing_padding_is_refused()
    {
        await Assert.That(Refusal([.. Encode(Sample()), 0])).Contains("truncated or padded");
    }

    [Test]
    public async Task Every_single_bit_flip_in_the_header_is_refused()
    {
        var bytes = Encode(Sample());
        var wrong = new List<string>();
        for (var bit = 0; bit < 64 * 8; bit++)
        {
            var copy = (byte[])bytes.Clone();
            copy[bit / 8] ^= (byte)(1 << (bit % 8));
            var expected = bit / 8 < 8 ? "bad magic" : "header checksum mismatch";
            try
            {
                SnapshotReader.Decode(copy, DirId);
                wrong.Add($"bit {bit}: accepted");
            }
            catch (SnapshotCorruptException ex) when (ex.Message.Contains(expected)) { }
            catch (Exception ex) { wrong.Add($"bit {bit}: {ex.GetType().Name}: {ex.Message}"); }
        }
        await Assert.That(wrong).IsEmpty();
    }

    [Test]
    public async Task Every_single_bit_flip_in_the_payload_is_refused()
    {
        var bytes = Encode(Sample());
        var wrong = new List<string>();
        for (var bit = 64 * 8; bit < bytes.Length * 8; bit++)
        {
            var copy = (byte[])bytes.Clone();
            copy[bit / 8] ^= (byte)(1 << (bit % 8));
            try
            {
                SnapshotReader.Decode(copy, DirId);
                wrong.Add($"bit {bit}: accepted");
            }
            catch (SnapshotCorruptException ex) when (ex.Message.Contains("payload checksum mismatch")) { }
            catch (Exception ex) { wrong.Add($"bit {bit}: {ex.GetType().Name}: {ex.Message}"); }
        }
        await Assert.That(wrong).IsEmpty();
    }

    [Test]
    public async Task Wrong_magic_is_refused_even_with_a_consistent_header_checksum()
    {
        var bytes = Encode(Sample());
        "ORCHSNAQ"u8.CopyTo(bytes);
        ResealHeader(bytes);
        await Assert.That(Refusal(bytes)).Contains("bad magic");
    }

    [Test]
    public async Task A_future_format_version_is_refused_by_the_version_check()
    {
        var bytes = Encode(Sample());
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), SnapshotFormat.CurrentVersion + 1);
        ResealHeader(bytes);
        var message = Refusal(bytes);
        await Assert.That(message).Contains($"format version {SnapshotFormat.CurrentVersion + 1} is not supported");
        await Assert.That(message).Contains($"reads 1 to {SnapshotFormat.CurrentVersion}");
    }

    [Test]
    public async Task Version_zero_is_refused_too()
    {
        var bytes = Encode(Sample());
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), 0);
        ResealHeader(bytes);
        await Assert.That(Refusal(bytes)).Contains("format version 0 is not supported");
    }

    [Test]
    public async Task A_wrong_header_size_is_refused()
    {
        var bytes = Encode(Sample());
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(12), 128);
        ResealHeader(bytes);
        await Assert.That(Refusal(bytes)).Contains("header size mismatch");
    }

    [Test]
    public async Task A_payload_length_that_disagrees_with_the_file_is_refused()
    {
        var bytes = Encode(Sample());
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(16), ulong.MaxValue);
        ResealHeader(bytes);
        await Assert.That(Refusal(bytes)).Contains("truncated or padded");
    }

    [Test]
    public async Task A_wrong_payload_checksum_is_refused()
    {
        var bytes = Encode(Sample());
        var crc = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(24));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(24), crc + 1);
        ResealHeader(bytes);
        await Assert.That(Refusal(bytes)).Contains("payload checksum mismatch");
    }

    [Test]
    public async Task A_snapshot_of_another_data_directory_is_refused()
    {
        var bytes = Encode(Sample());
        await Assert.That(Refusal(bytes, DirId + 1)).Contains("another data directory");
        await Assert.That(Same(SnapshotReader.Decode(bytes, DirId), Sample())).IsTrue();
    }

    [Test]
    public async Task A_section_length_that_overruns_the_payload_is_refused()
    {
        var bytes = Encode(Sample());
        var first = Sections(bytes)[0];
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(first.Start + 2), bytes.Length); // longer than what remains
        await Assert.That(Refusal(Reseal(bytes))).Contains("overruns its bounds");
    }

    [Test]
    public async Task A_negative_section_length_is_refused()
    {
        var bytes = Encode(Sample());
        var last = Sections(bytes)[^1];
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(last.Start + 2), -1);
        await Assert.That(Refusal(Reseal(bytes))).Contains("overruns its bounds");
    }

    [Test]
    public async Task A_string_length_that_overruns_its_section_is_refused()
    {
        var bytes = Encode(Sample());
        var pending = Sections(bytes).Single(s => s.Tag == (ushort)SnapshotFormat.Section.PendingRestart);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(pending.Start + 6), pending.Length); // request id longer than the section
        await Assert.That(Refusal(Reseal(bytes))).Contains("overruns its bounds");
    }

    [Test]
    public async Task A_payload_ending_inside_a_section_header_is_refused()
    {
        var bytes = Encode(Sample());
        await Assert.That(Refusal(Reseal([.. bytes, 0x01]))).Contains("overruns its bounds");
    }

    [Test]
    public async Task A_snapshot_without_its_pending_restart_is_refused()
    {
        var bytes = Encode(Sample());
        var others = Sections(bytes).Where(s => s.Tag != (ushort)SnapshotFormat.Section.PendingRestart).Select(s => SectionBytes(bytes, s));
        await Assert.That(Refusal(Rebuild(bytes, others))).Contains("no pending-restart section");
    }

    [Test]
    public async Task A_negative_rate_limit_count_is_refused()
    {
        var bytes = Encode(Sample());
        var limits = Sections(bytes).Single(s => s.Tag == (ushort)SnapshotFormat.Section.RateLimits);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(limits.Start + 6), -1);
        await Assert.That(Refusal(Reseal(bytes))).Contains("rate-limit section malformed");
    }

    [Test]
    public async Task A_rate_limit_count_beyond_the_entries_is_refused()
    {
        var bytes = Encode(Sample());
        var limits = Sections(bytes).Single(s => s.Tag == (ushort)SnapshotFormat.Section.RateLimits);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(limits.Start + 6), 4); // three are written
        await Assert.That(Refusal(Reseal(bytes))).Contains("overruns its bounds");
    }

    [Test]
    public async Task A_negative_subscription_count_is_refused()
    {
        var bytes = Encode(Sample());
        var subscriptions = Sections(bytes).Single(s => s.Tag == (ushort)SnapshotFormat.Section.Subscriptions);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(subscriptions.Start + 6 + 8), -1);
        await Assert.That(Refusal(Reseal(bytes))).Contains("subscriptions section malformed");
    }

    [Test]
    public async Task A_reader_without_the_subscriptions_section_skips_it_and_keeps_the_rest()
    {
        // What main's binary (which knows sections 1-6) does with a snapshot from this one: section 7 is skipped like any
        // unknown section of the same version. Simulated by removing it: everything else decodes the same.
        var bytes = Encode(Sample());
        var without = Sections(bytes).Where(s => s.Tag != (ushort)SnapshotFormat.Section.Subscriptions).Select(s => SectionBytes(bytes, s));
        var decoded = SnapshotReader.Decode(Rebuild(bytes, without), DirId);
        await Assert.That(decoded.Subscriptions).IsNull();
        await Assert.That(Same(decoded, Sample() with { Subscriptions = null })).IsTrue();
    }

    [Test]
    public async Task An_unknown_section_of_the_same_version_is_skipped()
    {
        var bytes = Encode(Sample());
        byte[] unknown = [0x63, 0x00, 3, 0, 0, 0, 0xAA, 0xBB, 0xCC];
        var sections = Sections(bytes).Select(s => SectionBytes(bytes, s)).ToList();
        sections.Insert(1, unknown);
        await Assert.That(Same(SnapshotReader.Decode(Rebuild(bytes, sections), DirId), Sample())).IsTrue();
    }

    // ---- files ----

    [Test]
    public async Task Read_refuses_a_zero_length_file_a_short_file_and_a_missing_file()
    {
        using var dir = new UnitTempDirectory();
        var empty = dir.File("empty.snap");
        File.WriteAllBytes(empty, []);
        var message = Assert.Throws<SnapshotCorruptException>(() => SnapshotReader.Read(empty, DirId)).Message;
        await Assert.That(message).Contains("0 bytes, shorter than its 64-byte header");

        var shortFile = dir.File("short.snap");
        File.WriteAllBytes(shortFile, Encode(Sample())[..40]);
        message = Assert.Throws<SnapshotCorruptException>(() => SnapshotReader.Read(shortFile, DirId)).Message;
        await Assert.That(message).Contains("40 bytes");

        message = Assert.Throws<SnapshotCorruptException>(() => SnapshotReader.Read(dir.File("missing.snap"), DirId)).Message;
        await Assert.That(message).Contains("cannot be read");
    }

    [Test]
    public async Task Read_applies_the_same_checks_as_decode()
    {
        using var dir = new UnitTempDirectory();
        var path = dir.File("restart.snap");
        var bytes = Encode(Sample());
        bytes[^1] ^= 0x40;
        File.WriteAllBytes(path, bytes);
        var message = Assert.Throws<SnapshotCorruptException>(() => SnapshotReader.Read(path, DirId)).Message;
        await Assert.That(message).Contains("payload checksum mismatch");

        File.WriteAllBytes(path, Encode(Sample())[..^1]);
        message = Assert.Throws<SnapshotCorruptException>(() => SnapshotReader.Read(path, DirId)).Message;
        await Assert.That(message).Contains("truncated or padded");

        File.WriteAllBytes(path, Encode(Sample()));
        message = Assert.Throws<SnapshotCorruptException>(() => SnapshotReader.Read(path, ~DirId)).Message;
        await Assert.That(message).Contains("another data directory");
    }

    [Test]
    public async Task WriteAtomically_leaves_an_owner_only_file_and_no_temporary()
    {
        using var dir = new UnitTempDirectory();
        var path = dir.File("restart.snap");
        var bytes = Encode(Sample());
        SnapshotWriter.WriteAtomically(path, bytes);
        await Assert.That(File.GetUnixFileMode(path)).IsEqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await Assert.That(File.Exists(path + ".tmp")).IsFalse();
        await Assert.That(File.ReadAllBytes(path).SequenceEqual(bytes)).IsTrue();
        await Assert.That(Same(SnapshotReader.Read(path, DirId), Sample())).IsTrue();
    }

    [Test]
    public async Task WriteAtomically_replaces_an_existing_file_and_fixes_its_mode()
    {
        using var dir = new UnitTempDirectory();
        var path = dir.File("restart.snap");
        File.WriteAllBytes(path, new byte[10_000]);
        File.SetUnixFileMode(path, (UnixFileMode)0b110_110_110);
        var bytes = Encode(Sample(session: false));
        SnapshotWriter.WriteAtomically(path, bytes);
        await Assert.That(File.ReadAllBytes(path).SequenceEqual(bytes)).IsTrue();
        await Assert.That(File.GetUnixFileMode(path)).IsEqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await Assert.That(Directory.GetFiles(dir.Path).Select(f => Path.GetFileName(f)!).ToList()).IsEquivalentTo(["restart.snap"]);
    }

    [Test]
    public async Task WriteAtomically_overwrites_a_stale_world_readable_temporary()
    {
        using var dir = new UnitTempDirectory();
        var path = dir.File("restart.snap");
        File.WriteAllBytes(path + ".tmp", new byte[100_000]);
        File.SetUnixFileMode(path + ".tmp", (UnixFileMode)0b110_110_110);
        var bytes = Encode(Sample());
        SnapshotWriter.WriteAtomically(path, bytes);
        await Assert.That(File.Exists(path + ".tmp")).IsFalse();
        await Assert.That(File.GetUnixFileMode(path)).IsEqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await Assert.That(File.ReadAllBytes(path).SequenceEqual(bytes)).IsTrue();
    }

    // ---- fuzzing ----

    [Test]
    public async Task Random_mutations_decode_equal_or_are_refused_never_another_exception()
    {
        var random = new Random(20_240_601);
        var original = Sample();
        var valid = Encode(original);
        var refused = 0;
        var problems = new List<string>();
        for (var i = 0; i < 2_000; i++)
        {
            var mutated = Mutate(random, valid);
            try
            {
                var decoded = SnapshotReader.Decode(mutated, DirId);
                if (!Same(decoded, original)) problems.Add($"#{i}: decoded to a different snapshot");
                else if (!mutated.SequenceEqual(valid)) problems.Add($"#{i}: a changed file was accepted");
            }
            catch (SnapshotCorruptException)
            {
                refused++;
            }
            catch (Exception ex)
            {
                problems.Add($"#{i}: {ex.GetType().Name}: {ex.Message}");
            }
        }
        await Assert.That(problems).IsEmpty();
        await Assert.That(refused).IsGreaterThan(1_900);
    }

    [Test]
    public async Task Random_payload_mutations_with_consistent_checksums_never_escape_as_another_exception()
    {
        // Checksums are recomputed after every mutation, so the section decoder itself faces the damage.
        var random = new Random(4_711);
        var valid = Encode(Sample());
        var decodedCount = 0;
        var refusedCount = 0;
        var problems = new List<string>();
        for (var i = 0; i < 2_000; i++)
        {
            var payload = Mutate(random, valid.AsSpan(SnapshotFormat.HeaderSize).ToArray());
            var file = Reseal([.. valid.AsSpan(0, SnapshotFormat.HeaderSize), .. payload]);
            try
            {
                SnapshotReader.Decode(file, DirId);
                decodedCount++;
            }
            catch (SnapshotCorruptException)
            {
                refusedCount++;
            }
            catch (Exception ex)
            {
                problems.Add($"#{i}: {ex.GetType().Name}: {ex.Message}");
            }
        }
        await Assert.That(problems).IsEmpty();
        await Assert.That(refusedCount).IsGreaterThan(0);
        await Assert.That(decodedCount + refusedCount).IsEqualTo(2_000);
    }

    private static byte[] Mutate(Random random, byte[] source)
    {
        var bytes = (byte[])source.Clone();
        switch (random.Next(6))
        {
            case 0: // flip 1..4 random bits
                for (var n = random.Next(1, 5); n > 0; n--) bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                return bytes;
            case 1: // overwrite one byte
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                return bytes;
            case 2: // truncate
                return bytes[..random.Next(bytes.Length)];
            case 3: // append garbage
                var tail = new byte[random.Next(1, 32)];
                random.NextBytes(tail);
                return [.. bytes, .. tail];
            case 4: // overwrite a random range
                var start = random.Next(bytes.Length);
                var range = bytes.AsSpan(start, Math.Min(bytes.Length - start, random.Next(1, 16)));
                random.NextBytes(range);
                return bytes;
            default: // delete a random range
                var at = random.Next(bytes.Length);
                var count = Math.Min(bytes.Length - at, random.Next(1, 16));
                return [.. bytes.AsSpan(0, at), .. bytes.AsSpan(at + count)];
        }
    }
}
