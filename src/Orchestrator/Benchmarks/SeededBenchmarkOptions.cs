namespace Orchestrator.Benchmarks;

/// <summary>The flags of the benchmarks that seed a store first (<c>bench tools</c>, <c>bench board</c>): <c>--tasks N --count M --output FILE</c>.</summary>
internal sealed record SeededBenchmarkOptions(int Tasks, int Count, string? Output)
{
    /// <summary>The options, or null after saying on stderr what was wrong and the usage of <c>bench <paramref name="verb"/></c>.</summary>
    public static SeededBenchmarkOptions? Parse(string verb, string[] args, int tasks, int count)
    {
        string? output = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--tasks" when i + 1 < args.Length && int.TryParse(args[i + 1], out var n) && n >= 0: tasks = n; i++; break;
                case "--count" when i + 1 < args.Length && int.TryParse(args[i + 1], out var m) && m > 0: count = m; i++; break;
                case "--output" when i + 1 < args.Length: output = args[++i]; break;
                default:
                    Console.Error.WriteLine($"orchestrator bench {verb}: unexpected '{args[i]}'\nUsage: orchestrator bench {verb} [--tasks N] [--count M] [--output FILE]");
                    return null;
            }
        }
        return new SeededBenchmarkOptions(tasks, count, output);
    }
}
