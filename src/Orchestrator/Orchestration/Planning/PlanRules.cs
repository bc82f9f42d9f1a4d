using System.Text.RegularExpressions;
using Orchestrator.Tooling;

namespace Orchestrator.Orchestration;

/// <summary>
/// The checks a plan's subtasks pass, shared by <c>orchestrator_plan_task</c> and <c>orchestrator_revise_plan</c>:
/// keys, texts and their limits, roles, tags, and cycles named as a path of keys.
/// </summary>
internal static partial class PlanRules
{
    public const string KeyPattern = "^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$";

    [GeneratedRegex(KeyPattern)]
    private static partial Regex Key();

    public static bool IsKey(string key) => Key().IsMatch(key);

    /// <summary>A value the caller gave, quoted for an error message and cut short: an error never echoes a huge input.</summary>
    public static string Quote(string value) => "\"" + (value.Length <= 60 ? value : Answers.CodePoints.Prefix(value, 57) + "...") + "\"";

    /// <summary>Title (1–200 characters), description and effort within their limits; the title trimmed, or null when refused.</summary>
    public static string? Texts(ArgumentErrors errors, string prefix, string? title, string? description, string? effort)
    {
        string? trimmed = null;
        if (title is not null)
        {
            trimmed = title.Trim();
            if (trimmed.Length == 0) errors.Add(prefix + "title", "must not be empty");
            else if (trimmed.Length > Limits.MaxTitle) errors.Add(prefix + "title", $"longer than {Limits.MaxTitle} characters");
        }
        if (description is { Length: > Limits.MaxText }) errors.Add(prefix + "description", $"longer than {Limits.MaxText} characters");
        if (effort is { Length: > Limits.MaxEffort }) errors.Add(prefix + "estimated_effort", $"longer than {Limits.MaxEffort} characters");
        return trimmed;
    }

    public static void Role(ArgumentErrors errors, string field, IReadOnlyList<SpecialistRole> roles, string role)
    {
        if (RoleCatalog.Find(roles, role) is null)
            errors.Add(field, $"unknown role {Quote(role)} (available: {string.Join(", ", roles.Select(r => r.Name))})");
    }

    /// <summary>Tags trimmed, lower-cased, sorted and distinct; each 1–40 characters without spaces or commas, at most 20.</summary>
    public static IReadOnlyList<string> Tags(ArgumentErrors errors, string field, IReadOnlyList<string> tags)
    {
        if (tags.Count > Limits.MaxTags)
        {
            errors.Add(field, $"at most {Limits.MaxTags} tags, got {tags.Count}");
            return [];
        }
        var result = new SortedSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < tags.Count; i++)
        {
            var tag = tags[i].Trim().ToLowerInvariant();
            if (tag.Length == 0) errors.Add($"{field}[{i}]", "must not be empty");
            else if (tag.Length > Limits.MaxTag) errors.Add($"{field}[{i}]", $"longer than {Limits.MaxTag} characters");
            else if (tag.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == ',')) errors.Add($"{field}[{i}]", $"{Quote(tag)} must not contain spaces, control characters or commas");
            else result.Add(tag);
        }
        return result.ToList();
    }

    /// <summary>The first dependency cycle among <paramref name="dependencies"/> (indices into <paramref name="keys"/>), named as a path of keys; null when acyclic.</summary>
    public static string? Cycle(IReadOnlyList<string> keys, IReadOnlyList<IReadOnlyList<int>> dependencies)
    {
        if (DependencyGraph.FindCycle(dependencies) is not { } cycle) return null;
        var named = cycle.Select(i => $"\"{keys[i]}\"").ToList();
        return cycle.Count == 2 ? $"subtask {named[0]} depends on itself" : $"dependency cycle {string.Join(" → ", named)}";
    }
}
