using System.Text;
using BenchmarkDotNet.Attributes;
using Orchestrator.Reboot.Snapshot;
using Orchestrator.Tooling;

namespace Orchestrator.Bench;

/// <summary>
/// The restart snapshot codec: what the old image pays to hand over (Encode, WriteAtomically) and the new image to
/// take over (Read, Decode), as the frames waiting for replay and the rate-limit window grow.
/// The baseline is Encode of the empty snapshot (no replay bytes, no rate-limit entries); it does not depend on the
/// parameters, so every row's ratio is against the same fixed cost.
/// </summary>
[MemoryDiagnoser]
public class SnapshotBenchmarks
{
    private const long CreatedUnixMs = 1_767_225_600_000; // 2026-01-01T00:00:00Z
    private const int Pid = 4242;
    private static readonly ulong DataDirectoryId = SnapshotFormat.DataDirectoryId("/var/lib/orchestrator");

    /// <summary>Bytes of stdin frames read but not yet handled: none, 64 KiB, 1 MiB.</summary>
    [Params(0, 64 * 1024, 1024 * 1024)]
    public int ReplayBytes { get; set; }

    /// <summary>Admissions inside the rate-limit window.</summary>
    [Params(0, 1000)]
    public int RateLimitEntries { get; set; }

    private RestartSnapshot _empty = null!;
    private RestartSnapshot _snapshot = null!;
    private byte[] _encoded = [];
    private string _directory = "";
    private string _path = "";

    [GlobalSetup]
    public void Setup()
    {
        _empty = Build(0, 0);
        _snapshot = Build(ReplayBytes, RateLimitEntries);
        _encoded = SnapshotWriter.Encode(_snapshot, DataDirectoryId, CreatedUnixMs, Pid);
        _directory = Directory.CreateTempSubdirectory("orchestrator-bench-").FullName;
        _path = Path.Combine(_directory, "restart.snapshot");

        // Fail the run early, not with misleading numbers, if the codec does not round-trip.
        var decoded = SnapshotReader.Decode(_encoded, DataDirectoryId);
        if (decoded.ReplayBytes.Length != ReplayBytes || decoded.RateLimits.Count != RateLimitEntries || decoded.Session is null)
            throw new InvalidOperationException("snapshot did not round-trip");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_directory.Length > 0 && Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "Encode (empty snapshot)")]
    public byte[] EncodeEmpty() => SnapshotWriter.Encode(_empty, DataDirectoryId, CreatedUnixMs, Pid);

    [Benchmark]
    public byte[] Encode() => SnapshotWriter.Encode(_snapshot, DataDirectoryId, CreatedUnixMs, Pid);

    [Benchmark]
    public object Decode() => SnapshotReader.Decode(_encoded, DataDirectoryId);

    /// <summary>The whole hand-over through the file system: temporary file, rename, then memory-mapped read and decode.</summary>
    [Benchmark(Description = "WriteAtomically + Read (mmap)")]
    public object WriteAtomicallyThenRead()
    {
        SnapshotWriter.WriteAtomically(_path, _encoded);
        return SnapshotReader.Read(_path, DataDirectoryId);
    }

    private static RestartSnapshot Build(int replayBytes, int rateLimitEntries)
    {
        var limits = new RateLimitEntry[rateLimitEntries];
        for (var i = 0; i < limits.Length; i++)
            limits[i] = new RateLimitEntry($"stdio:client-{i % 7}", i % 3 == 0 ? "orchestrator_restart_server" : "orchestrator_health_check",
                CreatedUnixMs - 60_000 + i);
        return new RestartSnapshot
        {
            Pending = new PendingRestart("17", Graceful: true, PreserveState: true, Timeout: 30, Reason: "manual_request",
                StartedUnixMs: CreatedUnixMs - 250, StartedTimestamp: 123_456_789_012, HistoryId: 99),
            ReplayBytes = ReplayFrames(replayBytes),
            Session = new SessionSnapshot("3f2c9a4e-6b1d-4c8e-9f70-2a5b8d1e4c37", CreatedUnixMs - 3_600_000, "2025-06-18",
                """{"name":"claude-code","version":"2.1.0"}""", """{"roots":{"listChanged":true},"sampling":{}}""",
                Initialized: true, RestartsSurvived: 2),
            RateLimits = limits,
            StatePreserved = true,
        };
    }

    /// <summary>Newline-separated tools/call frames, cut to exactly <paramref name="size"/> bytes.</summary>
    private static byte[] ReplayFrames(int size)
    {
        var bytes = new byte[size];
        var filled = 0;
        for (var id = 100; filled < size; id++)
        {
            var frame = Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"id\":" + id +
                ",\"method\":\"tools/call\",\"params\":{\"name\":\"orchestrator_health_check\",\"arguments\":{\"include_database_status\":true}}}\n");
            var take = Math.Min(frame.Length, size - filled);
            frame.AsSpan(0, take).CopyTo(bytes.AsSpan(filled));
            filled += take;
        }
        return bytes;
    }
}
