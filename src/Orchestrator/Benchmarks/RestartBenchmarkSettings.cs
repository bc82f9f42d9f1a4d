using System.Globalization;

namespace Orchestrator.Benchmarks;

/// <summary>The flags of <c>orchestrator bench restart</c>, parsed: what to measure, where to write it, and the CI gate.</summary>
internal sealed record RestartBenchmarkSettings(int Count, int[] TaskCounts, string? NodeScript, string Node, int ThroughputCalls, string? Chart, string? Output)
{
    public const string Usage = "Usage: orchestrator bench restart [--count N] [--tasks N[,N…]] [--node-reference SCRIPT] [--node PATH] " +
                                "[--throughput-calls N] [--floor-binary PATH] [--chart FILE.svg] [--output FILE] " +
                                "[--max-median MS] [--max-p99 MS] [--max-floor-ratio X] [--tracker-output FILE]";

    public static RestartBenchmarkSettings Defaults { get; } = new(100, [0], null, "node", 20_000, null, null);

    /// <summary>A minimal NativeAOT program that echoes a line (bench/Floor): the floor with nothing of the server in it.</summary>
    public string? FloorBinary { get; init; }

    /// <summary>The thresholds that make the run fail (exit status 1), for CI; none by default.</summary>
    public RestartGate Gate { get; init; } = RestartGate.None;

    /// <summary>Where to write the figures as a benchmark tracker reads them (<see cref="TrackerJson"/>).</summary>
    public string? TrackerOutput { get; init; }

    /// <summary>The settings, or null with <paramref name="error"/> saying which argument was refused.</summary>
    public static RestartBenchmarkSettings? Parse(string[] args, out string? error)
    {
        var settings = Defaults;
        error = null;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--count" when int.TryParse(value, out var n) && n > 0: settings = settings with { Count = n }; break;
                case "--tasks" when value is not null && TryParseCounts(value, out var counts): settings = settings with { TaskCounts = counts }; break;
                case "--node-reference" when value is not null: settings = settings with { NodeScript = Path.GetFullPath(value) }; break;
                case "--node" when value is not null: settings = settings with { Node = value }; break;
                case "--throughput-calls" when int.TryParse(value, out var calls) && calls >= 0: settings = settings with { ThroughputCalls = calls }; break;
                case "--chart" when value is not null: settings = settings with { Chart = value }; break;
                case "--output" when value is not null: settings = settings with { Output = value }; break;
                case "--floor-binary" when value is not null: settings = settings with { FloorBinary = Path.GetFullPath(value) }; break;
                case "--tracker-output" when value is not null: settings = settings with { TrackerOutput = value }; break;
                case "--max-median" when TryParseThreshold(value, out var ms):
                    settings = settings with { Gate = settings.Gate with { MaxMedianMs = ms } };
                    break;
                case "--max-p99" when TryParseThreshold(value, out var ms):
                    settings = settings with { Gate = settings.Gate with { MaxP99Ms = ms } };
                    break;
                case "--max-floor-ratio" when TryParseThreshold(value, out var ratio):
                    settings = settings with { Gate = settings.Gate with { MaxFloorRatio = ratio } };
                    break;
                default:
                    error = !Flags.Contains(args[i]) ? $"unexpected '{args[i]}'"
                        : value is null ? $"'{args[i]}' needs a value"
                        : $"'{args[i]} {value}' is not valid";
                    return null;
            }
            i++;
        }
        return settings;
    }

    private static readonly string[] Flags =
    [
        "--count", "--tasks", "--node-reference", "--node", "--throughput-calls", "--chart", "--output", "--floor-binary", "--tracker-output",
        "--max-median", "--max-p99", "--max-floor-ratio",
    ];

    /// <summary>A threshold is a positive finite number written with a dot (the same in every locale).</summary>
    private static bool TryParseThreshold(string? text, out double value) =>
        double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value) && value > 0 && double.IsFinite(value);

    private static bool TryParseCounts(string text, out int[] counts)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        counts = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], out counts[i]) || counts[i] < 0) return false;
        return counts.Length > 0;
    }
}
