using System.Text.Json;

namespace Orchestrator.Benchmarks;

/// <summary>Median, p99, min and max of a set of latencies, in milliseconds.</summary>
internal sealed record LatencyStats(int Count, double Median, double P99, double Min, double Max)
{
    public static LatencyStats Of(IReadOnlyCollection<double> samples)
    {
        var sorted = samples.Order().ToArray();
        return new LatencyStats(sorted.Length, Percentile(sorted, 50), Percentile(sorted, 99), sorted[0], sorted[^1]);
    }

    /// <summary>Nearest-rank percentile.</summary>
    private static double Percentile(double[] sorted, double percent)
    {
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public void Write(Utf8JsonWriter writer, string name, string description)
    {
        writer.WriteStartObject(name);
        writer.WriteString("measures", description);
        writer.WriteNumber("count", Count);
        writer.WriteNumber("median_ms", Math.Round(Median, 3));
        writer.WriteNumber("p99_ms", Math.Round(P99, 3));
        writer.WriteNumber("min_ms", Math.Round(Min, 3));
        writer.WriteNumber("max_ms", Math.Round(Max, 3));
        writer.WriteEndObject();
    }
}
