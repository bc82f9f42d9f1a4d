using Orchestrator.Tooling;

namespace Orchestrator.Hosting;

/// <summary>
/// Which of the declared tools an image serves: the groups <c>--tools</c> names (all by default), and the test hooks'
/// group only when its hook is armed. The one place that knows the test group is not a group a user can choose.
/// </summary>
internal static class ToolSelection
{
    /// <summary>The group of the tools that exist for the test suite (served with <c>ORCHESTRATOR_TEST_HOOKS=slow-tool</c>).</summary>
    public const string TestGroup = "test";

    /// <summary>The groups a user may name with <c>--tools</c>, ordered.</summary>
    public static IReadOnlyList<string> SelectableGroups { get; } =
        GeneratedTools.All.Select(t => t.Group).Where(g => g != TestGroup).Distinct().Order(StringComparer.Ordinal).ToArray();

    /// <summary>Whether an image with <paramref name="groups"/> selected (null: all) serves the tools of <paramref name="group"/>.</summary>
    public static Func<string, bool> Serves(IReadOnlySet<string>? groups, bool testToolsArmed) =>
        group => group == TestGroup ? testToolsArmed : groups is null || groups.Contains(group);

    /// <summary>The groups named by <c>--tools</c> (null: all).</summary>
    /// <exception cref="FormatException">A group that does not exist, or none at all.</exception>
    public static IReadOnlySet<string>? ParseGroups(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Trim() == "all") return null;
        var groups = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        var unknown = groups.Where(g => !SelectableGroups.Contains(g)).Order(StringComparer.Ordinal).ToArray();
        if (unknown.Length > 0 || groups.Count == 0)
            throw new FormatException($"unknown tool group '{string.Join(",", unknown)}' (use {string.Join(", ", SelectableGroups)} or all)");
        return groups;
    }
}
