using System.Text.Json;

namespace Orchestrator.Benchmarks;

/// <summary>
/// The figures of <c>bench restart</c> as CI benchmark trackers read them: a JSON list of {name, unit, value, extra}
/// where smaller is better (github-action-benchmark's <c>customSmallerIsBetter</c>).
/// Names are stable across runs so a tracker can draw each one's trend; the load average goes in <c>extra</c>.
/// </summary>
internal static class TrackerJson
{
    public sealed record Entry(string Name, string Unit, double Value);

    public static IReadOnlyList<Entry> Entries(RestartReport report)
    {
        var first = report.Runs[0];
        var entries = new List<Entry>
        {
            new("restart to ready, median", "ms", first.Ready.Median),
            new("restart to ready, p99", "ms", first.Ready.P99),
            new("restart to answer, median", "ms", first.Answer.Median),
            new("floor of this binary (floor-echo), median", "ms", report.Floor.Median),
            new("restart to ready over this binary's floor, median", "ratio", first.Ready.Median / report.Floor.Median),
        };
        if (report.MinimalFloor is { } minimal)
        {
            entries.Add(new("floor of a minimal NativeAOT program, median", "ms", minimal.Median));
            entries.Add(new("restart to ready over the minimal NativeAOT floor, median", "ratio", first.Ready.Median / minimal.Median));
            entries.Add(new("this binary's floor over the minimal NativeAOT floor, median", "ratio", report.Floor.Median / minimal.Median));
        }
        entries.Add(new("cold start to tools/list, median", "ms", report.Cold.Median));
        foreach (var run in report.Runs.Skip(1))
            entries.Add(new($"restart to ready with {run.Tasks} tasks stored, median", "ms", run.Ready.Median));
        entries.Add(new("idle RSS", "KiB", report.IdleRssKb[0]));
        return entries;
    }

    public static string ToJson(RestartReport report, string extra)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartArray();
            foreach (var entry in Entries(report))
            {
                w.WriteStartObject();
                w.WriteString("name", entry.Name);
                w.WriteString("unit", entry.Unit);
                w.WriteNumber("value", Math.Round(entry.Value, 3));
                w.WriteString("extra", extra);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
