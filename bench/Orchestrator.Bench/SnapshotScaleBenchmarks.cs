using BenchmarkDotNet.Attributes;
using Orchestrator.Reboot.Snapshot;
using Orchestrator.Tooling;

namespace Orchestrator.Bench;

/// <summary>
/// The restart snapshot as the task count grows. What a snapshot carries about tasks is the ids of the subtasks that
/// were in progress and were suspended for the restart (the tasks themselves stay in SQLite, which the new image opens
/// as it is); "N tasks" here means N such ids, of the real form <c>sub_</c> + 12 hex digits: the worst case of N tasks
/// each with one subtask in progress. Beside them, what every snapshot carries: the pending call, the session, a
/// small rate-limit window. The baseline is the restore the release before paid: format 1, read through
/// <see cref="SnapshotMigration"/>, one string per id; format 2 (this build) packs the ids and makes strings on demand.
/// </summary>
[MemoryDiagnoser]
public class SnapshotScaleBenchmarks
{
    private const long CreatedUnixMs = 1_767_225_600_000; // 2026-01-01T00:00:00Z
    private const int Pid = 4242;
    private static readonly ulong DataDirectoryId = SnapshotFormat.DataDirectoryId("/var/lib/orchestrator");

    [Params(1_000, 10_000, 100_000, 1_000_000)]
    public int Tasks { get; set; }

    private RestartSnapshot _snapshot = null!;
    private byte[] _encoded = [];
    private string _directory = "";
    private string _current = "", _formatOne = "", _written = "";

    [GlobalSetup]
    public void Setup()
    {
        _snapshot = Build(Tasks);
        _encoded = SnapshotWriter.Encode(_snapshot, DataDirectoryId, CreatedUnixMs, Pid);
        _directory = Directory.CreateTempSubdirectory("orchestrator-bench-scale-").FullName;
        _current = Path.Combine(_directory, "current.snap");
        _formatOne = Path.Combine(_directory, "format-1.snap");
        _written = Path.Combine(_directory, "written.snap");
        SnapshotWriter.WriteAtomically(_current, _encoded);
        SnapshotWriter.WriteAtomically(_formatOne, SnapshotWriter.Encode(_snapshot, DataDirectoryId, CreatedUnixMs, Pid, formatVersion: 1));

        // Fail the run early, not with misleading numbers, if either format does not round-trip.
        foreach (var path in new[] { _current, _formatOne })
        {
            var read = SnapshotReader.Read(path, DataDirectoryId);
            if (read.SuspendedSubtasks.Count != Tasks || !read.SuspendedSubtasks.SequenceEqual(_snapshot.SuspendedSubtasks))
                throw new InvalidOperationException($"{path} did not round-trip");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_directory.Length > 0 && Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "Read (mmap), format 1 (release before)")]
    public object ReadFormatOne() => SnapshotReader.Read(_formatOne, DataDirectoryId);

    /// <summary>What the new image pays before it answers the restart call: map, verify both checksums, decode.</summary>
    [Benchmark(Description = "Read (mmap)")]
    public object Read() => SnapshotReader.Read(_current, DataDirectoryId);

    /// <summary>Read, then every id made a string once, as resuming them in the store does (after the answer).</summary>
    [Benchmark(Description = "Read (mmap) + every id")]
    public int ReadAndWalk()
    {
        var length = 0;
        foreach (var id in SnapshotReader.Read(_current, DataDirectoryId).SuspendedSubtasks) length += id.Length;
        return length;
    }

    [Benchmark]
    public byte[] Encode() => SnapshotWriter.Encode(_snapshot, DataDirectoryId, CreatedUnixMs, Pid);

    /// <summary>What the old image pays to hand over: encode, then temporary file, write, rename.</summary>
    [Benchmark(Description = "Encode + WriteAtomically")]
    public void EncodeAndWrite() => SnapshotWriter.WriteAtomically(_written, SnapshotWriter.Encode(_snapshot, DataDirectoryId, CreatedUnixMs, Pid));

    private static RestartSnapshot Build(int tasks)
    {
        var ids = new string[tasks];
        for (var i = 0; i < ids.Length; i++) ids[i] = $"sub_{(ulong)i * 0x9E3779B1UL % 0xFFFF_FFFF_FFFFUL:x12}";
        var limits = new RateLimitEntry[12];
        for (var i = 0; i < limits.Length; i++)
            limits[i] = new RateLimitEntry("stdio", i % 2 == 0 ? "orchestrator_restart_status" : "orchestrator_reconnect_test", CreatedUnixMs - 60_000 + i);
        return new RestartSnapshot
        {
            Pending = new PendingRestart("17", Graceful: true, PreserveState: true, Timeout: 30, Reason: "configuration_update",
                StartedUnixMs: CreatedUnixMs - 250, StartedTimestamp: 123_456_789_012, HistoryId: 99) { WriterVersion = "1.0.0" },
            Session = new SessionSnapshot("3f2c9a4e-6b1d-4c8e-9f70-2a5b8d1e4c37", CreatedUnixMs - 3_600_000, "2025-06-18",
                """{"name":"claude-code","version":"2.1.0"}""", """{"roots":{"listChanged":true},"sampling":{}}""",
                Initialized: true, RestartsSurvived: 2),
            RateLimits = limits,
            SuspendedSubtasks = ids,
            StatePreserved = true,
        };
    }
}
