namespace Orchestrator.Tests.Architecture;

/// <summary>
/// The layers of the server's top-level namespaces, as the <c>```layers</c> block of docs/architecture.md states them:
/// one layer per line, its number and then its namespaces, separated by spaces.
/// </summary>
internal sealed class LayerTable
{
    /// <summary>The root namespace; in the table it stands for the types declared directly in it (Program).</summary>
    public const string RootNamespace = "Orchestrator";

    private const string OpeningFence = "```layers";

    private readonly Dictionary<string, int> _layers;

    private LayerTable(Dictionary<string, int> layers, string source)
    {
        _layers = layers;
        Source = source;
    }

    /// <summary>Where the table was read from, for messages ("docs/architecture.md").</summary>
    public string Source { get; }

    public IReadOnlyDictionary<string, int> Layers => _layers;

    public bool TryGetLayer(string topLevelNamespace, out int layer) => _layers.TryGetValue(topLevelNamespace, out layer);

    /// <summary>Reads the single <c>```layers</c> block of a Markdown document.</summary>
    /// <exception cref="FormatException">No such block, more than one, an unterminated one, or a malformed line.</exception>
    public static LayerTable FromMarkdown(string markdown, string source)
    {
        var lines = markdown.ReplaceLineEndings("\n").Split('\n');
        var openings = Enumerable.Range(0, lines.Length).Where(i => lines[i].Trim() == OpeningFence).ToList();
        if (openings.Count == 0) throw new FormatException($"{source}: no {OpeningFence} block");
        if (openings.Count > 1) throw new FormatException($"{source}: {openings.Count} {OpeningFence} blocks, expected one");
        var start = openings[0] + 1;
        var end = Array.FindIndex(lines, start, l => l.TrimStart().StartsWith("```", StringComparison.Ordinal));
        if (end < 0) throw new FormatException($"{source}: the {OpeningFence} block (line {start}) is not closed");
        return Parse(lines[start..end], source, firstLine: start + 1);
    }

    /// <summary>Parses the lines inside the block; blank lines are ignored.</summary>
    /// <exception cref="FormatException">A non-numeric or repeated layer, a layer without namespaces, a namespace
    /// listed twice, or no layer at all.</exception>
    public static LayerTable Parse(IReadOnlyList<string> lines, string source, int firstLine = 1)
    {
        var layers = new Dictionary<string, int>(StringComparer.Ordinal);
        var numbers = new HashSet<int>();
        for (var i = 0; i < lines.Count; i++)
        {
            var where = $"{source}:{firstLine + i}";
            var words = lines[i].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0) continue;
            if (!int.TryParse(words[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var layer))
                throw new FormatException($"{where}: layer \"{words[0]}\" is not a number (expected: number, then namespaces)");
            if (!numbers.Add(layer)) throw new FormatException($"{where}: layer {layer} is listed twice");
            if (words.Length == 1) throw new FormatException($"{where}: layer {layer} names no namespace");
            foreach (var name in words.Skip(1))
            {
                if (!IsIdentifier(name)) throw new FormatException($"{where}: \"{name}\" is not a namespace name");
                if (layers.TryGetValue(name, out var other))
                    throw new FormatException($"{where}: namespace {name} is listed twice (layers {other} and {layer})");
                layers.Add(name, layer);
            }
        }
        if (layers.Count == 0) throw new FormatException($"{source}: the layers block lists no layer");
        return new LayerTable(layers, source);
    }

    private static bool IsIdentifier(string name) =>
        (char.IsLetter(name[0]) || name[0] == '_') && name.All(c => char.IsLetterOrDigit(c) || c == '_');
}
