using System.Text.RegularExpressions;

namespace Orchestrator.Orchestration.Answers;

/// <summary>
/// Names a stored text so that <c>orchestrator_read_text</c> can read it in pages: an artifact by its id
/// (<c>art_…</c>), a field of a task or subtask (<c>task_…/description</c>, <c>sub_…/work</c>), a role's prompt in a
/// session (<c>sess_…/role/NAME</c>). A cut answer names the reference of each text it cut.
/// </summary>
internal static partial class TextRef
{
    /// <summary>The fields of a task that can be read.</summary>
    public static readonly string[] TaskFields = ["title", "description", "cancel_reason"];

    /// <summary>The fields of a subtask that can be read (<c>work</c>: its latest artifact; <c>file_paths</c>: one per line).</summary>
    public static readonly string[] SubtaskFields =
        ["title", "description", "summary", "work", "file_paths", "next_action", "estimated_effort", "status_reason", "revision_notes"];

    public static string Task(string taskId, string field) => $"{taskId}/{field}";
    public static string Subtask(string subtaskId, string field) => $"{subtaskId}/{field}";
    public static string Role(string sessionId, string role) => $"{sessionId}/role/{role}";

    /// <summary>What a reference names.</summary>
    public abstract record Target;
    public sealed record ArtifactText(string ArtifactId) : Target;
    public sealed record TaskText(string TaskId, string Field) : Target;
    public sealed record SubtaskText(string SubtaskId, string Field) : Target;
    public sealed record RolePrompt(string SessionId, string Role) : Target;

    /// <summary>The target of <paramref name="reference"/>, or null when it is not a reference at all.</summary>
    public static Target? Parse(string reference)
    {
        if (Artifact().IsMatch(reference)) return new ArtifactText(reference);
        if (Field().Match(reference) is { Success: true } field)
        {
            var id = field.Groups["id"].Value;
            var name = field.Groups["field"].Value;
            return id.StartsWith("task_", StringComparison.Ordinal)
                ? TaskFields.Contains(name) ? new TaskText(id, name) : null
                : SubtaskFields.Contains(name) ? new SubtaskText(id, name) : null;
        }
        if (Role().Match(reference) is { Success: true } role) return new RolePrompt(role.Groups["session"].Value, role.Groups["role"].Value);
        return null;
    }

    /// <summary>How the forms read, for the error that refuses another.</summary>
    public static string Forms => "an artifact id (art_…), TASK_ID/FIELD (" + string.Join(", ", TaskFields) + "), SUBTASK_ID/FIELD ("
        + string.Join(", ", SubtaskFields) + ") or SESSION_ID/role/NAME";

    [GeneratedRegex("^art_[A-Za-z0-9]+$")]
    private static partial Regex Artifact();

    [GeneratedRegex("^(?<id>(task|sub)_[A-Za-z0-9]+)/(?<field>[a-z_]+)$")]
    private static partial Regex Field();

    [GeneratedRegex("^(?<session>sess_[A-Za-z0-9]+)/role/(?<role>[a-z][a-z0-9_-]{0,39})$")]
    private static partial Regex Role();
}
