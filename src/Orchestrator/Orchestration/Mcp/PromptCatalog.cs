using System.Text;
using System.Text.Json;
using Orchestrator.Orchestration.Storage;
using Orchestrator.Storage;
using Orchestrator.Tooling;

namespace Orchestrator.Orchestration.Mcp;

/// <summary>
/// The workflow prompts (clients show them as slash commands): each <c>prompts/get</c> builds its messages from the
/// store's current state, embedding the task, its ready subtasks and dependency results as resources.
/// </summary>
internal sealed class PromptCatalog(Database database, ResourceCatalog resources)
{
    /// <summary>One prompt argument; <see cref="Completes"/>: what completion/complete offers for it.</summary>
    public sealed record Argument(string Name, string Description, bool Required, CompletionKind Completes);

    public sealed record Prompt(string Name, string Title, string Description, Argument[] Arguments);

    public static readonly Prompt[] All =
    [
        new("plan_goal", "Plan a goal", "Break a goal into a task with subtasks (plan_task), given the open tasks",
            [new("goal", "What to achieve, in your words", true, CompletionKind.None),
             new("session", "The session (working directory) to plan in; default: the current one", false, CompletionKind.SessionId)]),
        new("work_next_subtask", "Work the next subtask", "Claim and do the task's next ready subtask, with its dependencies' results",
            [new("task_id", "The task to work on", true, CompletionKind.TaskId)]),
        new("review_subtask", "Review a subtask", "Review a completed subtask's result and accept it or send it back",
            [new("subtask_id", "The subtask to review", true, CompletionKind.SubtaskId)]),
        new("synthesize_task", "Synthesize a task", "Combine a task's subtask results into its final outcome",
            [new("task_id", "The task to synthesize", true, CompletionKind.TaskId)]),
    ];

    private static readonly byte[] ListAnswer = ToolResults.Serialize(static w =>
    {
        w.WriteStartObject();
        w.WriteStartArray("prompts"u8);
        foreach (var prompt in All)
        {
            w.WriteStartObject();
            w.WriteString("name"u8, prompt.Name);
            w.WriteString("title"u8, prompt.Title);
            w.WriteString("description"u8, prompt.Description);
            w.WriteStartArray("arguments"u8);
            foreach (var argument in prompt.Arguments)
            {
                w.WriteStartObject();
                w.WriteString("name"u8, argument.Name);
                w.WriteString("description"u8, argument.Description);
                w.WriteBoolean("required"u8, argument.Required);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        CacheHints.WriteFixedPerBinary(w);
        w.WriteEndObject();
    });

    public static byte[] List() => ListAnswer;

    public static Prompt? Find(string name) => Array.Find(All, p => p.Name == name);

    public McpAnswer Get(string name, IReadOnlyDictionary<string, string> arguments)
    {
        if (Find(name) is not { } prompt) return McpAnswer.Invalid($"unknown prompt '{name}'; prompts: {string.Join(", ", All.Select(p => p.Name))}");
        foreach (var argument in prompt.Arguments)
        {
            if (!arguments.TryGetValue(argument.Name, out var value) || string.IsNullOrWhiteSpace(value))
            {
                if (argument.Required) return McpAnswer.Invalid($"prompt '{name}' needs the argument '{argument.Name}'");
                continue;
            }
            if (argument.Completes != CompletionKind.None && !ResourceUri.IsIdShaped(value))
                return McpAnswer.Invalid($"'{argument.Name}' is not an id");
        }
        var messages = new List<(string Text, List<(string Uri, string MimeType, string Text)> Embedded)>();
        string? missing = name switch
        {
            "plan_goal" => PlanGoal(arguments["goal"], arguments.GetValueOrDefault("session"), messages),
            "work_next_subtask" => WorkNext(arguments["task_id"], messages),
            "review_subtask" => Review(arguments["subtask_id"], messages),
            _ => Synthesize(arguments["task_id"], messages),
        };
        if (missing is not null) return McpAnswer.NotFound(missing);
        return McpAnswer.Success(ToolResults.Serialize(w =>
        {
            w.WriteStartObject();
            w.WriteString("description"u8, prompt.Description);
            w.WriteStartArray("messages"u8);
            foreach (var (text, embedded) in messages)
            {
                foreach (var (uri, mimeType, body) in embedded)
                {
                    w.WriteStartObject();
                    w.WriteString("role"u8, "user"u8);
                    w.WriteStartObject("content"u8);
                    w.WriteString("type"u8, "resource"u8);
                    w.WritePropertyName("resource"u8);
                    ResourceCatalog.Contents(w, uri, mimeType, body);
                    w.WriteEndObject();
                    w.WriteEndObject();
                }
                w.WriteStartObject();
                w.WriteString("role"u8, "user"u8);
                w.WriteStartObject("content"u8);
                w.WriteString("type"u8, "text"u8);
                w.WriteString("text"u8, text);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }));
    }

    /// <returns>The URI of what the argument names when it does not exist; otherwise null.</returns>
    private string? PlanGoal(string goal, string? session, List<(string, List<(string, string, string)>)> messages)
    {
        var embedded = new List<(string, string, string)>();
        var listUri = session is null ? ResourceUri.OpenTasksUri : ResourceUri.ForSessionTasks(session);
        if (Embed(listUri, embedded) is { } missing) return missing;
        messages.Add(($"""
            Plan this goal with Orchestrator: {goal}

            Look at the tasks already open (attached) so you do not duplicate one. Then call plan_task with a title, a
            description and subtasks (each with a role, and dependencies by key where one needs another's result).
            {(session is null ? "" : $"Plan it in session `{session}`.")}
            """, embedded));
        return null;
    }

    private string? WorkNext(string taskId, List<(string, List<(string, string, string)>)> messages)
    {
        var embedded = new List<(string, string, string)>();
        if (Embed(ResourceUri.ForTask(taskId), embedded) is { } missing) return missing;
        var ready = database.Read(c => new Sql(c, null).List(static r => r.GetString(0),
            """
            SELECT id FROM subtasks WHERE task_id = $id AND unmet_dependencies = 0 AND status IN ('pending', 'needs_revision')
            ORDER BY task_priority DESC, dependants DESC, created_at_ms, position LIMIT 1
            """, ("$id", taskId)));
        if (ready.Count == 0)
        {
            messages.Add(($"Task `{taskId}` (attached) has no ready subtask: say what it waits for, from its report.", embedded));
            return null;
        }
        var next = ready[0];
        Embed(ResourceUri.ForSubtask(next), embedded);
        foreach (var dependency in Dependencies(next)) Embed(ResourceUri.ForSubtask(dependency), embedded);
        messages.Add(($"""
            Work the next ready subtask of task `{taskId}`: `{next}` (attached, with the results of what it depends on).
            Claim it with execute_subtask, do the work, then record it with complete_subtask (or report_subtask if you cannot).
            """, embedded));
        return null;
    }

    private string? Review(string subtaskId, List<(string, List<(string, string, string)>)> messages)
    {
        var embedded = new List<(string, string, string)>();
        if (Embed(ResourceUri.ForSubtask(subtaskId), embedded) is { } missing) return missing;
        foreach (var dependency in Dependencies(subtaskId)) Embed(ResourceUri.ForSubtask(dependency), embedded);
        messages.Add(($"""
            Review subtask `{subtaskId}` (attached, with its dependencies' results): does its result do what its description
            asks? Then call review_subtask to accept it, or to send it back with notes saying what to change.
            """, embedded));
        return null;
    }

    private string? Synthesize(string taskId, List<(string, List<(string, string, string)>)> messages)
    {
        var embedded = new List<(string, string, string)>();
        if (Embed(ResourceUri.ForTask(taskId), embedded) is { } missing) return missing;
        messages.Add(($"""
            Synthesize task `{taskId}` (its report is attached; read its artifacts through the links it holds):
            call synthesize_results, then write the task's outcome for the user from the subtasks' results.
            """, embedded));
        return null;
    }

    private List<string> Dependencies(string subtaskId) => database.Read(c => new Sql(c, null).List(static r => r.GetString(0),
        "SELECT depends_on_id FROM subtask_dependencies WHERE subtask_id = $id", ("$id", subtaskId)));

    /// <returns>The URI when it names nothing; otherwise null (the resource added to <paramref name="embedded"/>).</returns>
    private string? Embed(string uri, List<(string, string, string)> embedded)
    {
        if (resources.Text(uri) is not { } content) return uri;
        embedded.Add((uri, content.MimeType, content.Text));
        return null;
    }
}
