using Orchestrator.Benchmarks;

namespace Orchestrator.Tests.Unit;

/// <summary>
/// The CI gate of <c>bench restart</c>: its flags parsed (and refused), and its verdict on given latencies. Speed itself is
/// never asserted; these check the arithmetic and the wording of the decision.
/// </summary>
public class RestartGateTests
{
    private static LatencyStats Stats(double median, double p99) => new(60, median, p99, median / 2, p99 * 2);

    private static RestartBenchmarkSettings Parse(params string[] args) =>
        RestartBenchmarkSettings.Parse(args, out var error) ?? throw new InvalidOperationException(error);

    [Test]
    public async Task No_threshold_by_default_so_the_gate_never_fails()
    {
        var settings = Parse();
        await Assert.That(settings.Gate.IsSet).IsFalse();
        await Assert.That(settings.Gate.Verdict(Stats(500, 900), Stats(1, 1), "the floor")).IsNull();
        await Assert.That(settings.TrackerOutput).IsNull();
    }

    [Test]
    public async Task The_threshold_flags_and_the_tracker_output_are_read()
    {
        var settings = Parse("--count", "20", "--max-median", "5", "--max-p99", "10.5", "--max-floor-ratio", "8", "--tracker-output", "t.json",
            "--floor-binary", "floor");
        await Assert.That(settings.Count).IsEqualTo(20);
        await Assert.That(settings.Gate).IsEqualTo(new RestartGate(5, 10.5, 8));
        await Assert.That(settings.TrackerOutput).IsEqualTo("t.json");
        await Assert.That(settings.FloorBinary).IsEqualTo(Path.GetFullPath("floor"));
    }

    [Test]
    [Arguments("--max-median", "0", "'--max-median 0' is not valid")]
    [Arguments("--max-median", "-3", "'--max-median -3' is not valid")]
    [Arguments("--max-p99", "ten", "'--max-p99 ten' is not valid")]
    [Arguments("--max-p99", "1e3", "'--max-p99 1e3' is not valid")]
    [Arguments("--max-floor-ratio", "Infinity", "'--max-floor-ratio Infinity' is not valid")]
    [Arguments("--max-floor-ratio", "NaN", "'--max-floor-ratio NaN' is not valid")]
    [Arguments("--max-floor-ratio", "3,5", "'--max-floor-ratio 3,5' is not valid")]
    [Arguments("--count", "0", "'--count 0' is not valid")]
    [Arguments("--fastest", "yes", "unexpected '--fastest'")]
    public async Task A_bad_threshold_or_flag_is_refused_with_its_name(string flag, string value, string expected)
    {
        await Assert.That(RestartBenchmarkSettings.Parse([flag, value], out var error)).IsNull();
        await Assert.That(error).IsEqualTo(expected);
    }

    [Test]
    public async Task A_threshold_without_its_value_is_refused()
    {
        await Assert.That(RestartBenchmarkSettings.Parse(["--max-floor-ratio"], out var error)).IsNull();
        await Assert.That(error).IsEqualTo("'--max-floor-ratio' needs a value");
    }

    [Test]
    public async Task Within_every_threshold_the_verdict_is_null()
    {
        var gate = new RestartGate(MaxMedianMs: 5, MaxP99Ms: 10, MaxFloorRatio: 3);
        // Equal to a threshold is within it.
        await Assert.That(gate.Verdict(Stats(5, 10), Stats(2.5, 4), "the floor")).IsNull();
        await Assert.That(gate.Verdict(Stats(4.2, 9.9), Stats(1.5, 3), "the floor")).IsNull();
    }

    [Test]
    public async Task The_median_over_its_threshold_fails_with_one_line_naming_it()
    {
        var verdict = new RestartGate(5, null, null).Verdict(Stats(6.25, 8), Stats(2, 3), "the floor");
        await Assert.That(verdict).IsEqualTo("restart → ready median 6.25 ms > --max-median 5 ms");
    }

    [Test]
    public async Task The_p99_over_its_threshold_fails_alone()
    {
        var gate = new RestartGate(5, 10, 3);
        await Assert.That(gate.Verdict(Stats(4, 12.346), Stats(2, 3), "the floor")).IsEqualTo("restart → ready p99 12.35 ms > --max-p99 10 ms");
    }

    [Test]
    public async Task The_ratio_is_the_median_over_the_floor_median_of_the_same_run()
    {
        var gate = new RestartGate(null, null, 8);
        // 40 ms is a gross regression over a 2 ms floor, but not over a 10 ms floor (a runner five times slower).
        await Assert.That(gate.Verdict(Stats(40, 90), Stats(2, 3), "the minimal NativeAOT floor"))
            .IsEqualTo("restart → ready median 40 ms is 20× the minimal NativeAOT floor (2 ms) > --max-floor-ratio 8");
        await Assert.That(gate.Verdict(Stats(40, 90), Stats(10, 30), "the minimal NativeAOT floor")).IsNull();
    }

    [Test]
    public async Task Every_threshold_exceeded_is_named_in_the_same_line()
    {
        var verdict = new RestartGate(5, 10, 3).Verdict(Stats(12, 30), Stats(2, 3), "this binary's floor");
        await Assert.That(verdict).IsEqualTo(
            "restart → ready median 12 ms > --max-median 5 ms; restart → ready p99 30 ms > --max-p99 10 ms; " +
            "restart → ready median 12 ms is 6× this binary's floor (2 ms) > --max-floor-ratio 3");
        await Assert.That(verdict).DoesNotContain("\n");
    }
}

/// <summary>The tracker format: a list of {name, unit, value, extra}, smaller is better, read back as a tracker reads it.</summary>
public class TrackerJsonTests
{
    private static LatencyStats Stats(double median, double p99) => new(60, median, p99, median / 2, p99 * 2);

    [Test]
    public async Task Each_figure_is_an_entry_with_a_stable_name_and_its_unit()
    {
        var report = new RestartReport("/bin/orchestrator", 60, Floor: Stats(3, 4), Cold: Stats(12, 15), Node: null, NodeScript: null,
            Runs: [new LatencyChart.Point(0, Stats(4, 6), Stats(6, 9)), new LatencyChart.Point(1000, Stats(4.5, 6), Stats(6.5, 9))],
            IdleRssKb: [15_000, 15_100], PidsUnchanged: true, Throughput: [])
        {
            MinimalFloor = Stats(2, 3),
        };
        var json = System.Text.Json.Nodes.JsonNode.Parse(TrackerJson.ToJson(report, "load average 1.0 1.1 1.2"))!.AsArray();
        var byName = json.ToDictionary(e => e!["name"]!.GetValue<string>(), e => (Unit: e!["unit"]!.GetValue<string>(), Value: e["value"]!.GetValue<double>()));

        await Assert.That(byName["restart to ready, median"]).IsEqualTo(("ms", 6.0));
        await Assert.That(byName["restart to ready, p99"]).IsEqualTo(("ms", 9.0));
        await Assert.That(byName["restart to answer, median"]).IsEqualTo(("ms", 4.0));
        await Assert.That(byName["floor of this binary (floor-echo), median"]).IsEqualTo(("ms", 3.0));
        await Assert.That(byName["restart to ready over this binary's floor, median"]).IsEqualTo(("ratio", 2.0));
        await Assert.That(byName["restart to ready over the minimal NativeAOT floor, median"]).IsEqualTo(("ratio", 3.0));
        await Assert.That(byName["this binary's floor over the minimal NativeAOT floor, median"]).IsEqualTo(("ratio", 1.5));
        await Assert.That(byName["restart to ready with 1000 tasks stored, median"]).IsEqualTo(("ms", 6.5));
        await Assert.That(byName["idle RSS"]).IsEqualTo(("KiB", 15_000.0));
        await Assert.That(json.All(e => e!["extra"]!.GetValue<string>() == "load average 1.0 1.1 1.2")).IsTrue();
        await Assert.That(byName.Count).IsEqualTo(json.Count); // no name twice
    }
}
