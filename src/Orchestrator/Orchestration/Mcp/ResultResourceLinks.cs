using System.Text.Json;
using Orchestrator.Tooling;

namespace Orchestrator.Orchestration.Mcp;

/// <summary>
/// The resources an orchestration tool's result mentions, found where the contract puts them: the task (<c>task</c>,
/// <c>tasks</c>, <c>task_id</c>), the subtask (<c>subtask</c>, the ranked <c>subtasks</c> of next_subtasks), the
/// artifact (<c>artifact_id</c>, and each dependency result's). Each becomes a <c>resource_link</c> after the result's
/// text, so a client reads a task's report or a whole artifact with <c>resources/read</c> instead of the tool inlining
/// it. Only the top level and the objects named above are looked at: a nested id (a history entry's, a stale claim's)
/// is not a link. Results of other tools (the reboot tools) mention none and get none.
/// </summary>
internal sealed class ResultResourceLinks : IResourceLinker
{
    /// <summary>At most this many links in one result (a query_tasks page lists up to 100 tasks).</summary>
    public const int MaxLinks = 100;

    public static readonly ResultResourceLinks Instance = new();

    private const string Markdown = "text/markdown";

    public IReadOnlyList<ResourceLink> LinksIn(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) return [];
        var links = new Links();
        if (Object(root, "task") is { } task) links.Task(task, "id", "title");
        var subtask = Object(root, "subtask");
        if (subtask is { } view)
        {
            links.Subtask(view, "id", "title");
            links.Task(view, "task_id", null);
        }
        // complete_subtask: the artifact it stored belongs to the subtask it answers with.
        links.Artifact(String(root, "artifact_id"), String(subtask, "title"), String(subtask, "artifact_type"));
        links.Task(root, "task_id", null);
        foreach (var item in Array(root, "tasks")) links.Task(item, "id", "title");
        foreach (var ranked in Array(root, "subtasks"))
        {
            // next_subtasks ranks {subtask, task_id, task_title}; get_status and plan_task list subtask views.
            if (Object(ranked, "subtask") is { } inner)
            {
                links.Subtask(inner, "id", "title");
                links.Task(ranked, "task_id", "task_title");
            }
            else links.Subtask(ranked, "id", "title");
        }
        foreach (var result in Array(root, "dependency_results")) links.Artifact(result);
        foreach (var result in Array(root, "results")) links.Artifact(result);
        return links.All;
    }

    private static JsonElement? Object(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;

    private static string? String(JsonElement? parent, string name) =>
        parent is { ValueKind: JsonValueKind.Object } && parent.Value.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;


    private static IEnumerable<JsonElement> Array(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : [];

    /// <summary>The links found so far, each resource once, in the order first mentioned, at most <see cref="MaxLinks"/>.</summary>
    private sealed class Links
    {
        private readonly List<ResourceLink> _all = [];
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

        public IReadOnlyList<ResourceLink> All => _all;

        public void Task(JsonElement item, string idProperty, string? titleProperty) =>
            Add(String(item, idProperty), ResourceUri.ForTask, titleProperty is null ? null : String(item, titleProperty), Markdown);

        public void Subtask(JsonElement item, string idProperty, string titleProperty) =>
            Add(String(item, idProperty), ResourceUri.ForSubtask, String(item, titleProperty), Markdown);

        /// <summary>A dependency result's artifact: <c>{subtask_id, title, artifact_id, artifact_type}</c>.</summary>
        public void Artifact(JsonElement result) =>
            Artifact(String(result, "artifact_id"), String(result, "title"), String(result, "artifact_type"));

        public void Artifact(string? id, string? ownerTitle, string? artifactType) =>
            Add(id, ResourceUri.ForArtifact, ownerTitle is null ? null : $"Artifact of {ownerTitle}",
                artifactType is null ? null : ResourceCatalog.MimeTypeOf(artifactType));

        private void Add(string? id, Func<string, string> uriOf, string? title, string? mimeType)
        {
            // An id that could not be one (the contract's ids always can) is not turned into a URI that resources/read refuses.
            if (id is null || !ResourceUri.IsIdShaped(id) || _all.Count >= MaxLinks) return;
            var uri = uriOf(id);
            if (_seen.Add(uri)) _all.Add(new ResourceLink(uri, id, title, mimeType));
        }
    }
}
