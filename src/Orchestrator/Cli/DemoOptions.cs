namespace Orchestrator.Cli;

/// <summary>What <c>orchestrator demo</c> was asked for: the transport, where to keep the data, the output format.</summary>
internal sealed record DemoOptions
{
    public const string Usage = """
        Usage: orchestrator demo [--http] [--keep DIR] [--json]
          --http      run the demo over Streamable HTTP on a free loopback port (default: stdio)
          --keep DIR  use DIR as the data directory and keep it (default: a temporary directory, removed)
          --json      one JSON object per step on stdout, for scripts and CI
        """;

    public bool Http { get; init; }

    /// <summary>The data directory to use and keep; null for a temporary one, removed at the end.</summary>
    public string? Keep { get; init; }

    public bool Json { get; init; }

    /// <summary>Reads the demo's own flags; the error names the word it refuses.</summary>
    public static (DemoOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        var options = new DemoOptions();
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--http": options = options with { Http = true }; break;
                case "--json": options = options with { Json = true }; break;
                case "--keep" when i + 1 < args.Count && args[i + 1].Length > 0:
                    options = options with { Keep = Path.GetFullPath(args[++i]) };
                    break;
                case "--keep": return (null, "--keep needs a directory");
                default: return (null, $"unexpected '{args[i]}'");
            }
        }
        return (options, null);
    }
}
