using System.Text.Json;

namespace Orchestrator.Benchmarks;

/// <summary>
/// The JSON of <c>bench restart</c>: every measure with median and p99, the ratios the issue asks for (b/a, d/b),
/// and each target beside what was measured. Targets are shown, never enforced: speed is reported, not asserted.
/// </summary>
internal sealed record RestartReport(
    string Binary,
    int Rounds,
    LatencyStats Floor,
    LatencyStats Cold,
    LatencyStats? Node,
    string? NodeScript,
    IReadOnlyList<LatencyChart.Point> Runs,
    IReadOnlyList<long> IdleRssKb,
    bool PidsUnchanged,
    IReadOnlyList<PipelinedThroughput.Result> Throughput)
{
    public const double ReadyTargetMs = 5;

    /// <summary>The floor of a minimal NativeAOT program (bench/Floor), when measured.</summary>
    public LatencyStats? MinimalFloor { get; init; }
    public string? MinimalFloorBinary { get; init; }

    /// <summary>The floor the gate's ratio is taken over: the minimal NativeAOT program's when measured, else this binary's.</summary>
    public (LatencyStats Floor, string Name) GateFloor =>
        MinimalFloor is { } minimal ? (minimal, "the minimal NativeAOT floor") : (Floor, "this binary's floor");

    public string ToJson() => ToJson(RestartGate.None, null);

    /// <summary>The headline figures on one line, for a CI log (the JSON goes to stdout or a file).</summary>
    public string Summary()
    {
        var ready = Runs[0].Ready;
        var (floor, floorName) = GateFloor;
        return FormattableString.Invariant(
            $"restart → ready median {ready.Median:0.00} ms, p99 {ready.P99:0.00} ms; restart → answer median {Runs[0].Answer.Median:0.00} ms; ") +
            FormattableString.Invariant($"this binary's floor {Floor.Median:0.00} ms") +
            (MinimalFloor is { } minimal ? FormattableString.Invariant($", the minimal NativeAOT floor {minimal.Median:0.00} ms") : "") +
            FormattableString.Invariant($"; ready over {floorName} {ready.Median / floor.Median:0.00}×; {Rounds} rounds, load average {LoadAverage()}");
    }

    /// <param name="gate">the thresholds set (written when any is).</param>
    /// <param name="verdict">why the gate failed, or null when it held.</param>
    public string ToJson(RestartGate gate, string? verdict)
    {
        var first = Runs[0];
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("benchmark", "orchestrator bench restart");
            w.WriteString("timestamp", DateTimeOffset.UtcNow.ToString("O"));
            w.WriteStartObject("machine");
            w.WriteNumber("cores", Environment.ProcessorCount);
            w.WriteString("cpu", CpuModel());
            w.WriteString("os", System.Runtime.InteropServices.RuntimeInformation.OSDescription);
            w.WriteString("load_average_at_end", LoadAverage());
            w.WriteEndObject();
            w.WriteString("binary", Binary);
            w.WriteNumber("binary_bytes", new FileInfo(Binary).Length);
            w.WriteNumber("idle_rss_kb", IdleRssKb[0]);
            w.WriteNumber("rounds", Rounds);
            w.WriteBoolean("pid_unchanged", PidsUnchanged);
            Floor.Write(w, "a_floor_exec", "spawn of this binary in floor-echo mode to its first answered line (exec + NativeAOT runtime start)");
            if (MinimalFloor is not null)
            {
                MinimalFloor.Write(w, "a_minimal_floor_exec", "spawn of a minimal NativeAOT program (bench/Floor) to its first answered line (exec + runtime start of a 1 MB binary)");
                w.WriteString("minimal_floor_binary", MinimalFloorBinary);
            }
            first.Ready.Write(w, "b_restart_to_ready", $"orchestrator_restart_server sent to the answer of the next call (a health check probing the store), {first.Tasks} tasks stored");
            first.Answer.Write(w, "b_restart_to_answer", $"orchestrator_restart_server sent to its answer from the new process image, {first.Tasks} tasks stored");
            Cold.Write(w, "c_cold_start_tools_list", "spawn of this server to its first tools/list answer, after initialize");
            if (Node is not null)
            {
                Node.Write(w, "d_node_fresh_start_tools_list", "spawn of the Node reference server (official TypeScript SDK) to its first tools/list answer, after initialize");
                w.WriteString("node_reference", NodeScript);
            }
            w.WriteStartArray("by_task_count");
            for (var i = 0; i < Runs.Count; i++)
            {
                w.WriteStartObject();
                w.WriteNumber("tasks", Runs[i].Tasks);
                w.WriteNumber("idle_rss_kb", IdleRssKb[i]);
                Runs[i].Answer.Write(w, "restart_to_answer", "as b_restart_to_answer, with this many tasks in the store");
                Runs[i].Ready.Write(w, "restart_to_ready", "as b_restart_to_ready, with this many tasks in the store");
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("throughput");
            foreach (var result in Throughput) result.Write(w);
            w.WriteEndArray();

            w.WriteStartObject("ratios");
            w.WriteNumber("b_over_a_median", Math.Round(first.Ready.Median / Floor.Median, 2));
            w.WriteNumber("b_over_a_p99", Math.Round(first.Ready.P99 / Floor.P99, 2));
            if (MinimalFloor is not null)
            {
                w.WriteNumber("b_over_minimal_a_median", Math.Round(first.Ready.Median / MinimalFloor.Median, 2));
                w.WriteNumber("b_over_minimal_a_p99", Math.Round(first.Ready.P99 / MinimalFloor.P99, 2));
            }
            w.WriteNumber("c_over_b_median", Math.Round(Cold.Median / first.Ready.Median, 2));
            if (Node is not null)
            {
                w.WriteNumber("d_over_b_median", Math.Round(Node.Median / first.Ready.Median, 1));
                w.WriteNumber("d_over_b_p99", Math.Round(Node.P99 / first.Ready.P99, 1));
            }
            w.WriteEndObject();

            w.WriteStartArray("targets");
            Target(w, "restart to ready, median (ms)", first.Ready.Median, ReadyTargetMs, lowerIsBetter: true);
            Target(w, "restart to ready over the floor, median (b/a)", first.Ready.Median / Floor.Median, 3, lowerIsBetter: true);
            if (MinimalFloor is not null)
                Target(w, "restart to ready over the minimal NativeAOT floor, median (b/a minimal)", first.Ready.Median / MinimalFloor.Median, 3, lowerIsBetter: true);
            if (Node is not null) Target(w, "Node fresh start over restart to ready, median (d/b)", Node.Median / first.Ready.Median, 80, lowerIsBetter: false);
            foreach (var result in Throughput)
                Target(w, $"pipelined tools/call throughput, {result.Tool}, {result.InFlight} in flight (calls/s)", result.CallsPerSecond, 20_000, lowerIsBetter: false);
            w.WriteEndArray();
            if (gate.IsSet) WriteGate(w, gate, verdict);
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private void WriteGate(Utf8JsonWriter w, RestartGate gate, string? verdict)
    {
        w.WriteStartObject("gate");
        if (gate.MaxMedianMs is { } median) w.WriteNumber("max_median_ms", median);
        if (gate.MaxP99Ms is { } p99) w.WriteNumber("max_p99_ms", p99);
        if (gate.MaxFloorRatio is { } ratio)
        {
            w.WriteNumber("max_floor_ratio", ratio);
            w.WriteString("floor_ratio_over", GateFloor.Name);
        }
        w.WriteBoolean("passed", verdict is null);
        if (verdict is not null) w.WriteString("reason", verdict);
        w.WriteEndObject();
    }

    private static void Target(Utf8JsonWriter w, string measure, double value, double target, bool lowerIsBetter)
    {
        w.WriteStartObject();
        w.WriteString("measure", measure);
        w.WriteNumber("value", Math.Round(value, 2));
        w.WriteString("target", (lowerIsBetter ? "<= " : ">= ") + target);
        w.WriteBoolean("met", lowerIsBetter ? value <= target : value >= target);
        w.WriteEndObject();
    }

    public static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? "unknown" : line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
