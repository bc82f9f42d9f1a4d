namespace Orchestrator.Tooling;

/// <summary>Collects every invalid argument of one call so that the client learns of all of them at once.</summary>
public sealed class ArgumentErrors
{
    private readonly List<string> _errors = [];

    public int Count => _errors.Count;
    public IReadOnlyList<string> Items => _errors;

    /// <summary>Records that <paramref name="field"/> (a JSON path such as <c>timeout</c> or <c>subtasks[2].role</c>) is invalid.</summary>
    public void Add(string field, string problem) => _errors.Add($"{field}: {problem}");

    public ToolError ToToolError() => new(ErrorCode.InvalidParameters,
        _errors.Count == 1 ? $"Invalid parameter {_errors[0]}" : $"Invalid parameters ({_errors.Count}): {string.Join("; ", _errors)}",
        "validation")
    { Details = _errors.ToArray() };
}
