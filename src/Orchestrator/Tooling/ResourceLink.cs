using System.Text.Json;

namespace Orchestrator.Tooling;

/// <summary>
/// A resource a tool result mentions, given to the client as a <c>resource_link</c> content item after the result's
/// text, so it can read the whole thing (<c>resources/read</c>) instead of the tool inlining it.
/// </summary>
/// <param name="Name">The resource's name as <c>resources/list</c> gives it (its id).</param>
/// <param name="Title">What a person reads (a task's or subtask's title), when the result gives it.</param>
public readonly record struct ResourceLink(string Uri, string Name, string? Title, string? MimeType);

/// <summary>Finds the resources a tool's result mentions (tasks, subtasks, artifacts), from the result as it is written.</summary>
/// <remarks>
/// It reads the written JSON rather than the result object, so the first answer of an idempotent call and its replay
/// (stored as JSON) carry the same links.
/// </remarks>
public interface IResourceLinker
{
    IReadOnlyList<ResourceLink> LinksIn(JsonElement result);
}
