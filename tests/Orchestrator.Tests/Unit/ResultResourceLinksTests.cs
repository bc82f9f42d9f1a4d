using System.Text.Json;
using System.Text.Json.Nodes;
using Orchestrator.Orchestration.Mcp;
using Orchestrator.Tooling;

namespace Orchestrator.Tests.Unit;

/// <summary>
/// Which resources a tool result links (<see cref="ResultResourceLinks"/>), on results shaped like the contract's, and
/// how the two answer writers (the stdio frame and the SDK's result) carry them after the text.
/// </summary>
public class ResultResourceLinksTests
{
    private static IReadOnlyList<ResourceLink> Links(JsonNode result) => ResultResourceLinks.Instance.LinksIn(JsonElement.Parse(result.ToJsonString()));

    private static JsonObject Task(string id, string title) => new() { ["id"] = id, ["title"] = title };

    [Test]
    public async Task A_page_of_tasks_links_each_task_once_and_at_most_the_cap()
    {
        var tasks = new JsonArray(Enumerable.Range(0, 150).Select(i => (JsonNode)Task($"task_{i:x12}", $"Task {i}")).ToArray());
        tasks.Add(Task("task_000000000000", "the first again"));
        var links = Links(new JsonObject { ["tasks"] = tasks, ["has_more"] = true });
        await Assert.That(links.Count).IsEqualTo(ResultResourceLinks.MaxLinks);
        await Assert.That(links.Select(l => l.Uri).Distinct().Count()).IsEqualTo(links.Count);
        await Assert.That(links[0]).IsEqualTo(new ResourceLink("orchestrator://tasks/task_000000000000", "task_000000000000", "Task 0", "text/markdown"));
    }

    [Test]
    public async Task Ids_nested_elsewhere_and_ids_that_cannot_be_ids_give_no_link()
    {
        var links = Links(new JsonObject
        {
            ["task_id"] = "task/../x",
            ["entries"] = new JsonArray(new JsonObject { ["subtask_id"] = "sub_aaaaaaaaaaaa", ["task_id"] = "task_bbbbbbbbbbbb" }),
            ["stale_claims"] = new JsonArray(new JsonObject { ["task_id"] = "task_cccccccccccc", ["subtask_id"] = "sub_dddddddddddd" }),
            ["task"] = "not an object",
        });
        await Assert.That(links).IsEmpty();
        await Assert.That(Links(new JsonArray(1, 2))).IsEmpty();
    }

    [Test]
    public async Task A_ranked_subtask_links_the_subtask_and_its_task_by_the_task_title()
    {
        var links = Links(new JsonObject
        {
            ["subtasks"] = new JsonArray(new JsonObject
            {
                ["rank"] = 1, ["subtask"] = Task("sub_aaaaaaaaaaaa", "Write the parser"), ["task_id"] = "task_bbbbbbbbbbbb", ["task_title"] = "Parser",
            }),
        });
        await Assert.That(links).IsEquivalentTo(new[]
        {
            new ResourceLink("orchestrator://subtasks/sub_aaaaaaaaaaaa", "sub_aaaaaaaaaaaa", "Write the parser", "text/markdown"),
            new ResourceLink("orchestrator://tasks/task_bbbbbbbbbbbb", "task_bbbbbbbbbbbb", "Parser", "text/markdown"),
        });
    }

    [Test]
    public async Task Dependency_results_link_their_artifacts_with_the_artifact_type_as_mime_type()
    {
        var links = Links(new JsonObject
        {
            ["results"] = new JsonArray(
                new JsonObject { ["subtask_id"] = "sub_1", ["title"] = "Design", ["artifact_id"] = "art_1", ["artifact_type"] = "design" },
                new JsonObject { ["subtask_id"] = "sub_2", ["title"] = "Code", ["artifact_id"] = "art_2", ["artifact_type"] = "code" },
                new JsonObject { ["subtask_id"] = "sub_3", ["title"] = "No artifact" }),
        });
        await Assert.That(links).IsEquivalentTo(new[]
        {
            new ResourceLink("orchestrator://artifacts/art_1", "art_1", "Artifact of Design", "text/markdown"),
            new ResourceLink("orchestrator://artifacts/art_2", "art_2", "Artifact of Code", "text/plain"),
        });
    }

    [Test]
    public async Task The_stdio_frame_and_the_sdk_result_carry_the_same_links_after_the_text()
    {
        var linker = ResultResourceLinks.Instance;
        var result = new RawResult(new JsonObject { ["task"] = Task("task_aaaaaaaaaaaa", "Parser") });

        var frame = JsonNode.Parse(ToolResultFrames.Success("7"u8, result, linker))!["result"]!["content"]!.AsArray();
        await Assert.That(frame.Count).IsEqualTo(2);
        await Assert.That(frame[0]!["type"]!.GetValue<string>()).IsEqualTo("text");
        await Assert.That(frame[1]!.ToJsonString()).IsEqualTo(
            """{"type":"resource_link","uri":"orchestrator://tasks/task_aaaaaaaaaaaa","name":"task_aaaaaaaaaaaa","title":"Parser","mimeType":"text/markdown"}""");

        var sdk = ToolResults.ToResult(result, linker).Content;
        await Assert.That(sdk.Count).IsEqualTo(2);
        var link = (ModelContextProtocol.Protocol.ResourceLinkBlock)sdk[1];
        await Assert.That((link.Uri, link.Name, link.Title, link.MimeType)).IsEqualTo(("orchestrator://tasks/task_aaaaaaaaaaaa", "task_aaaaaaaaaaaa", "Parser", "text/markdown"));

        // Without a linker (a refusal, the restart's own answer) only the text.
        await Assert.That(JsonNode.Parse(ToolResultFrames.Success("7"u8, result))!["result"]!["content"]!.AsArray().Count).IsEqualTo(1);
    }

    private sealed class RawResult(JsonNode json) : IJsonWritable
    {
        public void WriteJson(System.Text.Json.Utf8JsonWriter writer) => json.WriteTo(writer);
    }
}
