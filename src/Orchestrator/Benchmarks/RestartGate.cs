using System.Globalization;

namespace Orchestrator.Benchmarks;

/// <summary>
/// The CI gate of <c>bench restart</c>: thresholds on restart → ready (the first store measured), its median and p99 in
/// milliseconds and its median over the floor measured in the same run. A noisy machine slows the floor and the restart
/// alike, so the ratio is the threshold that tells a regression from a busy runner; the absolute ones suit a quiet one.
/// </summary>
internal sealed record RestartGate(double? MaxMedianMs, double? MaxP99Ms, double? MaxFloorRatio)
{
    public static RestartGate None { get; } = new(null, null, null);

    public bool IsSet => MaxMedianMs is not null || MaxP99Ms is not null || MaxFloorRatio is not null;

    /// <summary>
    /// Null when every threshold set holds; otherwise one line naming each one exceeded with the value measured.
    /// </summary>
    /// <param name="ready">restart → ready of the first store.</param>
    /// <param name="floor">the floor the ratio is taken over (the minimal NativeAOT program's when measured).</param>
    /// <param name="floorName">how the reason names that floor.</param>
    public string? Verdict(LatencyStats ready, LatencyStats floor, string floorName)
    {
        var exceeded = new List<string>();
        if (MaxMedianMs is { } maxMedian && ready.Median > maxMedian)
            exceeded.Add($"restart → ready median {Ms(ready.Median)} > --max-median {Number(maxMedian)} ms");
        if (MaxP99Ms is { } maxP99 && ready.P99 > maxP99)
            exceeded.Add($"restart → ready p99 {Ms(ready.P99)} > --max-p99 {Number(maxP99)} ms");
        if (MaxFloorRatio is { } maxRatio && ready.Median / floor.Median is var ratio && ratio > maxRatio)
            exceeded.Add($"restart → ready median {Ms(ready.Median)} is {Number(ratio)}× {floorName} ({Ms(floor.Median)}) > --max-floor-ratio {Number(maxRatio)}");
        return exceeded.Count == 0 ? null : string.Join("; ", exceeded);
    }

    private static string Ms(double value) => Number(value) + " ms";

    private static string Number(double value) => Math.Round(value, 2).ToString(CultureInfo.InvariantCulture);
}
