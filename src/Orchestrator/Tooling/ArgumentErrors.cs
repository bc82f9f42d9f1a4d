namespace Orchestrator.Tooling;

/// <summary>
/// Collects every invalid argument of one call so that the client learns of all of them at once; past
/// <see cref="MaxListed"/> it only counts them, so that a huge invalid call gets a bounded answer that says the total.
/// </summary>
public sealed class ArgumentErrors
{
    public const int DefaultMaxListed = 100;

    private readonly List<string> _errors = [];

    /// <summary>
    /// How many errors one answer lists (<c>--max-errors-listed</c>); set once at start-up, before any call is served.
    /// </summary>
    public static int MaxListed { get; set; } = DefaultMaxListed;

    /// <summary>Every error found, listed or not: a validator compares it before and after a check.</summary>
    public int Count { get; private set; }

    /// <summary>The errors listed: the first <see cref="MaxListed"/>.</summary>
    public IReadOnlyList<string> Items => _errors;

    /// <summary>Records that <paramref name="field"/> (a JSON path such as <c>timeout</c> or <c>subtasks[2].role</c>) is invalid.</summary>
    public void Add(string field, string problem)
    {
        Count++;
        if (_errors.Count < MaxListed) _errors.Add($"{field}: {problem}");
    }

    public ToolError ToToolError()
    {
        var unlisted = Count - _errors.Count;
        var more = unlisted > 0 ? $"and {unlisted} more (first {_errors.Count} of {Count} listed)" : null;
        var message = Count == 1
            ? $"Invalid parameter {_errors[0]}"
            : $"Invalid parameters ({Count}): {string.Join("; ", _errors)}{(more is null ? "" : "; " + more)}";
        return new(ErrorCode.InvalidParameters, message, "validation") { Details = more is null ? _errors.ToArray() : [.. _errors, more] };
    }
}
