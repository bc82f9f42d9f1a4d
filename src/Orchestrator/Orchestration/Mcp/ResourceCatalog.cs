using System.Text;
using System.Text.Json;
using Orchestrator.Orchestration.Storage;
using Orchestrator.Storage;
using Orchestrator.Tooling;

namespace Orchestrator.Orchestration.Mcp;

/// <summary>
/// <c>resources/list</c>, <c>resources/templates/list</c> and <c>resources/read</c> straight from the store, written as
/// JSON without an intermediate object model (a 100 KB artifact is copied once into the answer). Reads only.
/// </summary>
internal sealed class ResourceCatalog(Database database)
{
    public const int PageSize = 100;
    private const int ListedMax = 200;
    private const string Markdown = "text/markdown";

    private static readonly byte[] TemplatesList = ToolResults.Serialize(static w =>
    {
        w.WriteStartObject();
        w.WriteStartArray("resourceTemplates"u8);
        Template(w, "orchestrator://tasks/{task_id}", "task", "A task's report: its subtasks, their status and outcomes (Markdown)", Markdown);
        Template(w, "orchestrator://subtasks/{subtask_id}", "subtask", "A subtask's result: status, summary, files, artifacts (Markdown)", Markdown);
        Template(w, "orchestrator://artifacts/{artifact_id}", "artifact", "An artifact's own text, with its MIME type", null);
        Template(w, "orchestrator://sessions/{session_id}/tasks", "session-tasks", "The tasks of one session, most recently updated first (Markdown)", Markdown);
        w.WriteEndArray();
        CacheHints.WriteFixedPerBinary(w);
        w.WriteEndObject();
    });

    public static byte[] Templates() => TemplatesList;

    /// <summary>One page: the two fixed lists first (first page only), then tasks by id, <see cref="PageSize"/> a page.</summary>
    public McpAnswer List(string? cursor)
    {
        string? after = null;
        if (cursor is not null && (after = ResourceCursor.Decode(cursor)) is null) return McpAnswer.Invalid("cursor is not one this server gave");
        var rows = database.Read(connection => new Sql(connection, null).List(
            static r => (Id: r.GetString(0), Title: r.GetString(1), Status: r.GetString(2)),
            after is null
                ? "SELECT id, title, status FROM tasks ORDER BY id LIMIT $n"
                : "SELECT id, title, status FROM tasks WHERE id > $after ORDER BY id LIMIT $n",
            ("$after", after), ("$n", PageSize + 1)));
        var more = rows.Count > PageSize;
        if (more) rows.RemoveAt(rows.Count - 1);
        return McpAnswer.Success(ToolResults.Serialize(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("resources"u8);
            if (after is null)
            {
                Resource(w, ResourceUri.OpenTasksUri, "open-tasks", "Open tasks", "Tasks not completed or cancelled, most recently updated first");
                Resource(w, ResourceUri.ReadySubtasksUri, "ready-subtasks", "Ready subtasks", "Subtasks whose dependencies are met, in the order next_subtasks ranks them");
            }
            foreach (var (id, title, status) in rows)
                Resource(w, ResourceUri.ForTask(id), id, title, $"Task {id} ({status})");
            w.WriteEndArray();
            if (more) w.WriteString("nextCursor"u8, ResourceCursor.Encode(rows[^1].Id));
            CacheHints.WriteStore(w);
            w.WriteEndObject();
        }));
    }

    public McpAnswer Read(string uriText)
    {
        if (ResourceUri.Parse(uriText, out var problem) is not { } uri) return McpAnswer.Invalid(problem!, uriText);
        var content = database.Read(connection =>
        {
            var sql = new Sql(connection, null);
            return uri.Kind switch
            {
                ResourceKind.OpenTasks => (Markdown, OpenTasks(sql)),
                ResourceKind.ReadySubtasks => (Markdown, ReadySubtasks(sql)),
                ResourceKind.Task => TaskReport(sql, uri.Id) is { } report ? (Markdown, report) : default,
                ResourceKind.Subtask => SubtaskReport(sql, uri.Id) is { } report ? (Markdown, report) : default,
                ResourceKind.Artifact => ArtifactText(sql, uri.Id),
                ResourceKind.SessionTasks => SessionTasks(sql, uri.Id) is { } list ? (Markdown, list) : default,
                _ => default((string, string)),
            };
        });
        if (content.Item2 is null) return McpAnswer.NotFound(uriText);
        // The buffer sized once for the text (a 100 KB artifact would otherwise grow it by eight copies).
        return McpAnswer.Success(ToolResults.Serialize(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("contents"u8);
            Contents(w, uriText, content.Item1, content.Item2);
            w.WriteEndArray();
            CacheHints.WriteStore(w);
            w.WriteEndObject();
        }, content.Item2.Length + 512));
    }

    /// <summary>A resource's text, for prompts that embed it; null when it does not exist.</summary>
    public (string MimeType, string Text)? Text(string uriText)
    {
        var answer = Read(uriText);
        if (answer.IsError) return null;
        using var document = JsonDocument.Parse(answer.Result!);
        var item = document.RootElement.GetProperty("contents"u8)[0];
        return (item.GetProperty("mimeType"u8).GetString()!, item.GetProperty("text"u8).GetString()!);
    }

    public static void Contents(Utf8JsonWriter w, string uri, string mimeType, string text)
    {
        w.WriteStartObject();
        w.WriteString("uri"u8, uri);
        w.WriteString("mimeType"u8, mimeType);
        w.WriteString("text"u8, text);
        w.WriteEndObject();
    }

    private static string OpenTasks(Sql sql)
    {
        var rows = sql.List(static r => (r.GetString(0), r.GetString(1), r.GetString(2)),
            "SELECT id, title, status FROM tasks WHERE status NOT IN ('completed', 'cancelled') ORDER BY updated_at_ms DESC, id DESC LIMIT $n",
            ("$n", ListedMax));
        var text = new StringBuilder("# Open tasks\n\n");
        if (rows.Count == 0) text.Append("No open tasks.\n");
        foreach (var (id, title, status) in rows) text.Append($"- [{Escape(title)}]({ResourceUri.ForTask(id)}) `{id}`: {status}\n");
        return text.ToString();
    }

    private static string ReadySubtasks(Sql sql)
    {
        var rows = sql.List(static r => (r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3)),
            """
            SELECT id, title, role, task_id FROM subtasks
            WHERE unmet_dependencies = 0 AND status IN ('pending', 'needs_revision')
            ORDER BY task_priority DESC, dependants DESC, created_at_ms, task_id, position LIMIT $n
            """, ("$n", ListedMax));
        var text = new StringBuilder("# Ready subtasks\n\n");
        if (rows.Count == 0) text.Append("No subtask is ready.\n");
        foreach (var (id, title, role, taskId) in rows)
            text.Append($"- [{Escape(title)}]({ResourceUri.ForSubtask(id)}) `{id}` ({role}) of [task `{taskId}`]({ResourceUri.ForTask(taskId)})\n");
        return text.ToString();
    }

    private static string? TaskReport(Sql sql, string id)
    {
        var task = sql.List(static r => (Title: r.GetString(0), Description: r.GetString(1), Status: r.GetString(2), Priority: r.GetString(3), Session: r.GetString(4)),
            "SELECT title, description, status, priority, session_id FROM tasks WHERE id = $id", ("$id", id));
        if (task.Count == 0) return null;
        var (title, description, status, priority, session) = task[0];
        var text = new StringBuilder();
        text.Append($"# {title}\n\n`{id}` · status **{status}** · priority {priority} · session `{session}`\n\n{description}\n\n## Subtasks\n\n");
        var subtasks = sql.List(static r => (Id: r.GetString(0), Position: r.GetInt64(1), Title: r.GetString(2), Role: r.GetString(3), Status: r.GetString(4),
                Summary: Sql.NullableString(r, 5)),
            "SELECT id, position, title, role, status, result_summary FROM subtasks WHERE task_id = $id ORDER BY position", ("$id", id));
        if (subtasks.Count == 0) text.Append("None planned.\n");
        foreach (var s in subtasks)
        {
            text.Append($"{s.Position}. [{Escape(s.Title)}]({ResourceUri.ForSubtask(s.Id)}) `{s.Id}` ({s.Role}): **{s.Status}**\n");
            if (s.Summary is { Length: > 0 } summary) text.Append($"   - outcome: {OneLine(summary)}\n");
        }
        var artifacts = sql.List(static r => (r.GetString(0), r.GetString(1), r.GetString(2)),
            """
            SELECT a.id, a.type, s.id FROM artifacts a JOIN subtasks s ON s.id = a.subtask_id
            WHERE s.task_id = $id ORDER BY s.position, a.created_at_ms
            """, ("$id", id));
        if (artifacts.Count > 0)
        {
            text.Append("\n## Artifacts\n\n");
            foreach (var (artifactId, type, subtaskId) in artifacts)
                text.Append($"- [{artifactId}]({ResourceUri.ForArtifact(artifactId)}) ({type}) from `{subtaskId}`\n");
        }
        return text.ToString();
    }

    private static string? SubtaskReport(Sql sql, string id)
    {
        var rows = sql.List(static r => (Title: r.GetString(0), Description: r.GetString(1), Role: r.GetString(2), Status: r.GetString(3),
                Summary: Sql.NullableString(r, 4), Files: Sql.NullableString(r, 5), Reason: Sql.NullableString(r, 6), Task: r.GetString(7)),
            "SELECT title, description, role, status, result_summary, file_paths, status_reason, task_id FROM subtasks WHERE id = $id", ("$id", id));
        if (rows.Count == 0) return null;
        var s = rows[0];
        var text = new StringBuilder();
        text.Append($"# {s.Title}\n\n`{id}` of [task `{s.Task}`]({ResourceUri.ForTask(s.Task)}) · role {s.Role} · status **{s.Status}**\n\n{s.Description}\n");
        if (s.Reason is { Length: > 0 } reason) text.Append($"\nReason: {reason}\n");
        var dependencies = sql.List(static r => (r.GetString(0), r.GetString(1), r.GetString(2)),
            """
            SELECT d.depends_on_id, s.title, s.status FROM subtask_dependencies d JOIN subtasks s ON s.id = d.depends_on_id
            WHERE d.subtask_id = $id ORDER BY s.position
            """, ("$id", id));
        if (dependencies.Count > 0)
        {
            text.Append("\n## Depends on\n\n");
            foreach (var (dependencyId, title, status) in dependencies)
                text.Append($"- [{Escape(title)}]({ResourceUri.ForSubtask(dependencyId)}) `{dependencyId}`: {status}\n");
        }
        text.Append("\n## Result\n\n").Append(s.Summary is { Length: > 0 } summary ? summary : "No result yet.").Append('\n');
        if (s.Files is { Length: > 2 } files) text.Append($"\nFiles: {files}\n");
        var artifacts = sql.List(static r => (r.GetString(0), r.GetString(1), r.GetInt64(2)),
            "SELECT id, type, length(content) FROM artifacts WHERE subtask_id = $id ORDER BY created_at_ms", ("$id", id));
        if (artifacts.Count > 0)
        {
            text.Append("\n## Artifacts\n\n");
            foreach (var (artifactId, type, length) in artifacts)
                text.Append($"- [{artifactId}]({ResourceUri.ForArtifact(artifactId)}) ({type}, {length} characters)\n");
        }
        return text.ToString();
    }

    private static (string, string) ArtifactText(Sql sql, string id)
    {
        using var command = sql.Command("SELECT type, content FROM artifacts WHERE id = $id", ("$id", id));
        using var reader = command.ExecuteReader();
        return reader.Read() ? (MimeTypeOf(reader.GetString(0)), reader.GetString(1)) : default;
    }

    /// <summary>Written work reads as Markdown; code and tests as plain text (their language is not recorded).</summary>
    public static string MimeTypeOf(string artifactType) => artifactType switch
    {
        "design" or "analysis" or "documentation" or "research" or "review" => Markdown,
        _ => "text/plain",
    };

    private static string? SessionTasks(Sql sql, string sessionId)
    {
        var directory = sql.List(static r => r.GetString(0), "SELECT working_directory FROM sessions WHERE id = $id", ("$id", sessionId));
        if (directory.Count == 0) return null;
        var rows = sql.List(static r => (r.GetString(0), r.GetString(1), r.GetString(2)),
            "SELECT id, title, status FROM tasks WHERE session_id = $id ORDER BY updated_at_ms DESC, id DESC LIMIT $n",
            ("$id", sessionId), ("$n", ListedMax));
        var text = new StringBuilder($"# Tasks of session `{sessionId}`\n\nWorking directory: `{directory[0]}`\n\n");
        if (rows.Count == 0) text.Append("No tasks.\n");
        foreach (var (id, title, status) in rows) text.Append($"- [{Escape(title)}]({ResourceUri.ForTask(id)}) `{id}`: {status}\n");
        return text.ToString();
    }

    private static void Template(Utf8JsonWriter w, string uriTemplate, string name, string description, string? mimeType)
    {
        w.WriteStartObject();
        w.WriteString("uriTemplate"u8, uriTemplate);
        w.WriteString("name"u8, name);
        w.WriteString("description"u8, description);
        if (mimeType is not null) w.WriteString("mimeType"u8, mimeType);
        w.WriteEndObject();
    }

    private static void Resource(Utf8JsonWriter w, string uri, string name, string title, string description)
    {
        w.WriteStartObject();
        w.WriteString("uri"u8, uri);
        w.WriteString("name"u8, name);
        w.WriteString("title"u8, title);
        w.WriteString("description"u8, description);
        w.WriteString("mimeType"u8, Markdown);
        w.WriteEndObject();
    }

    /// <summary>Keeps a title from closing the Markdown link it sits in.</summary>
    private static string Escape(string text) => text.Replace("[", "\\[", StringComparison.Ordinal).Replace("]", "\\]", StringComparison.Ordinal);

    private static string OneLine(string text)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= 300 ? line : line[..300] + "…";
    }
}
