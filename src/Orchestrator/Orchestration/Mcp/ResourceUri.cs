namespace Orchestrator.Orchestration.Mcp;

/// <summary>What an <c>orchestrator://</c> URI names; <see cref="Unknown"/>: well-formed, but nothing this server serves.</summary>
internal enum ResourceKind
{
    Unknown,
    OpenTasks,
    ReadySubtasks,
    Task,
    Subtask,
    Artifact,
    SessionTasks,
}

/// <summary>
/// Parses the resource URIs of docs/resources.md. Malformed (not an absolute URI, or an id that could not be one of
/// ours: empty, too long, characters ids never hold) is the caller's mistake (invalid params); well-formed but naming
/// nothing we serve is "not found". Ids are checked by shape only, so a lookup never sees text that could not be an id.
/// </summary>
internal readonly record struct ResourceUri(ResourceKind Kind, string Id)
{
    public const string Scheme = "orchestrator";
    public const string OpenTasksUri = "orchestrator://tasks/open";
    public const string ReadySubtasksUri = "orchestrator://subtasks/ready";
    private const int MaxIdLength = 128;

    public static string ForTask(string id) => $"orchestrator://tasks/{id}";
    public static string ForSubtask(string id) => $"orchestrator://subtasks/{id}";
    public static string ForArtifact(string id) => $"orchestrator://artifacts/{id}";
    public static string ForSessionTasks(string id) => $"orchestrator://sessions/{id}/tasks";

    /// <summary>The URI's meaning, or null with why it is malformed.</summary>
    public static ResourceUri? Parse(string text, out string? problem)
    {
        problem = null;
        if (text.Length == 0 || text.Length > 2048 || !Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            problem = "uri is not an absolute URI";
            return null;
        }
        if (!string.Equals(uri.Scheme, Scheme, StringComparison.Ordinal)) return new(ResourceKind.Unknown, "");
        // orchestrator://tasks/ID: the "host" is the collection, the path the rest.
        var rest = text[(Scheme.Length + 3)..];
        if (rest.IndexOfAny(['?', '#']) >= 0)
        {
            problem = "uri must not carry a query or fragment";
            return null;
        }
        var parts = rest.Split('/');
        var kind = (parts.Length, parts[0]) switch
        {
            (2, "tasks") when parts[1] == "open" => ResourceKind.OpenTasks,
            (2, "subtasks") when parts[1] == "ready" => ResourceKind.ReadySubtasks,
            (2, "tasks") => ResourceKind.Task,
            (2, "subtasks") => ResourceKind.Subtask,
            (2, "artifacts") => ResourceKind.Artifact,
            (3, "sessions") when parts[2] == "tasks" => ResourceKind.SessionTasks,
            _ => ResourceKind.Unknown,
        };
        if (kind is ResourceKind.Unknown or ResourceKind.OpenTasks or ResourceKind.ReadySubtasks) return new(kind, "");
        var id = parts[1];
        if (!IsIdShaped(id))
        {
            problem = $"'{Shorten(id)}' is not an id (1-{MaxIdLength} letters, digits, '_' or '-')";
            return null;
        }
        return new(kind, id);
    }

    /// <summary>Ids are <c>prefix_hex</c>; imported stores may hold other ids, so any short word of these characters passes.</summary>
    public static bool IsIdShaped(string id)
    {
        if (id.Length is 0 or > MaxIdLength) return false;
        foreach (var c in id)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-')) return false;
        return true;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
