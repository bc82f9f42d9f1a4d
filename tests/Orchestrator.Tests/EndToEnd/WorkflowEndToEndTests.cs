using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>
/// The whole workflow over the published binary (plan, next, execute, fail, retry, review gate, revise, block and
/// unblock, reopen, search, read, synthesize), run three times: straight through, with an in-place restart after every
/// step, and with a cold start after every step. Each run checks every step's answer; the three end in the same state.
/// </summary>
public partial class WorkflowEndToEndTests
{
    public enum Between { Nothing, InPlaceRestart, ColdStart }

    [Test]
    public async Task The_workflow_ends_the_same_across_in_place_restarts_and_cold_starts()
    {
        var straight = await RunAsync(Between.Nothing);
        var restarted = await RunAsync(Between.InPlaceRestart);
        var cold = await RunAsync(Between.ColdStart);
        await Assert.That(restarted).IsEqualTo(straight);
        await Assert.That(cold).IsEqualTo(straight);
        await Assert.That(straight).Contains("\"status\":\"needs_revision\"").And.Contains("streaming");
    }

    private static JsonObject Sub(string key, string title, string role, params string[] dependsOn) => new()
    {
        ["key"] = key, ["title"] = title, ["role"] = role, ["description"] = $"{title} of the streaming parser",
        ["depends_on"] = new JsonArray(dependsOn.Select(d => (JsonNode)d).ToArray()),
    };

    private static List<string> Keys(JsonNode? list, string field = "key") => list!.AsArray().Select(r => r![field]!.GetValue<string>()).ToList();

    private static async Task<string> RunAsync(Between between)
    {
        using var data = new TempDirectory();
        using var project = new TempDirectory();
        await using var server = await RestartableServer.StartAsync(data.Path);
        async Task<JsonObject> Call(string tool, JsonObject? arguments = null)
        {
            var answer = await server.CallAsync(tool, arguments);
            switch (between)
            {
                case Between.InPlaceRestart: await server.RestartInPlaceAsync(); break;
                case Between.ColdStart: await server.ColdStartAsync(); break;
            }
            return answer;
        }
        static void Expect(bool condition, string what, JsonNode answer)
        {
            if (!condition) throw new InvalidOperationException($"{what}: {answer.ToJsonString()}");
        }

        var session = (await Call("orchestrator_initialize_session", new JsonObject { ["working_directory"] = project.Path }))["session_id"]!.GetValue<string>();
        var parser = await Call("orchestrator_plan_task", new JsonObject
        {
            ["session_id"] = session, ["title"] = "Streaming JSON parser", ["priority"] = "high", ["tags"] = new JsonArray("parser", "backend"),
            ["subtasks"] = new JsonArray(Sub("design", "Design the API", "architect"),
                Sub("build", "Implement it", "implementer", "design").Also(s => s["review_required"] = true),
                Sub("test", "Test it", "tester", "build"), Sub("docs", "Document it", "documenter", "design")),
        });
        var taskId = parser["task"]!["id"]!.GetValue<string>();
        var id = parser["subtasks"]!.AsArray().ToDictionary(s => s!["key"]!.GetValue<string>(), s => s!["id"]!.GetValue<string>());
        await Call("orchestrator_plan_task", new JsonObject
        {
            ["session_id"] = session, ["title"] = "Release notes", ["priority"] = "low", ["tags"] = new JsonArray("docs"),
            ["subtasks"] = new JsonArray(Sub("notes", "Write the notes", "documenter")),
        });

        var next = await Call("orchestrator_next_subtasks", new JsonObject { ["session_id"] = session });
        Expect(Keys(next["subtasks"]!.AsArray().Select(r => r!["subtask"]).ToJsonArray()).SequenceEqual(["design", "notes"]), "next ranks by priority", next);
        Expect(next["subtasks"]![0]!["reason"]!.GetValue<string>().StartsWith("priority high; 2 subtask(s) wait on it", StringComparison.Ordinal), "reason", next);

        await Work("design", "The API: push events");
        async Task<JsonObject> Work(string key, string summary)
        {
            await Call("orchestrator_execute_subtask", new JsonObject { ["subtask_id"] = id[key] });
            return await Call("orchestrator_complete_subtask", new JsonObject
            {
                ["subtask_id"] = id[key], ["summary"] = summary, ["detailed_work"] = $"All of {key}, in detail.", ["file_paths"] = new JsonArray($"src/{key}.cs"),
                ["artifact_type"] = "code",
            });
        }

        await Call("orchestrator_execute_subtask", new JsonObject { ["subtask_id"] = id["build"] });
        var failed = await Call("orchestrator_report_subtask", new JsonObject { ["subtask_id"] = id["build"], ["outcome"] = "failed", ["reason"] = "the compiler crashed" });
        Expect(failed["task_status"]!.GetValue<string>() == "failed", "a failed subtask fails the task", failed);
        var failedTasks = await Call("orchestrator_query_tasks", new JsonObject { ["status"] = "failed" });
        Expect(Keys(failedTasks["tasks"], "id").SequenceEqual([taskId]), "query by status failed", failedTasks);
        var retried = await Call("orchestrator_reopen_subtask", new JsonObject { ["subtask_id"] = id["build"], ["action"] = "retry", ["note"] = "use gcc 13" });
        Expect(retried["subtask"]!["status"]!.GetValue<string>() == "pending", "retry", retried);

        var again = await Call("orchestrator_execute_subtask", new JsonObject { ["subtask_id"] = id["build"] });
        Expect(again["revision_notes"]!.GetValue<string>() == "The previous attempt failed: the compiler crashed\n\nuse gcc 13", "notes after retry", again);
        var gated = await Call("orchestrator_complete_subtask", new JsonObject { ["subtask_id"] = id["build"], ["summary"] = "built", ["detailed_work"] = "the code" });
        Expect(gated["subtask"]!["status"]!.GetValue<string>() == "needs_review", "review gate", gated);
        await Call("orchestrator_review_subtask", new JsonObject { ["subtask_id"] = id["build"], ["verdict"] = "revise", ["notes"] = "add error handling" });
        var revision = await Call("orchestrator_execute_subtask", new JsonObject { ["subtask_id"] = id["build"] });
        Expect(revision["revision_notes"]!.GetValue<string>() == "add error handling", "review notes reach the next execution", revision);
        await Call("orchestrator_complete_subtask", new JsonObject { ["subtask_id"] = id["build"], ["summary"] = "built with errors handled", ["detailed_work"] = "the better code" });
        var approved = await Call("orchestrator_review_subtask", new JsonObject { ["subtask_id"] = id["build"], ["verdict"] = "approve" });
        Expect(Keys(approved["newly_ready"]).SequenceEqual(["test"]), "approval makes the dependant ready", approved);

        var revised = await Call("orchestrator_revise_plan", new JsonObject
        {
            ["task_id"] = taskId,
            ["add"] = new JsonArray(Sub("bench", "Benchmark it", "tester", id["build"])),
            ["change"] = new JsonArray(new JsonObject { ["subtask"] = "docs", ["description"] = "Document the streaming API with examples" }),
            ["order"] = new JsonArray("design", "build", "docs", "test", "bench"),
        });
        Expect(Keys(revised["ready"]).SequenceEqual(["docs", "test", "bench"]), "ready after the revision", revised);
        id["bench"] = revised["added"]![0]!["id"]!.GetValue<string>();

        await Call("orchestrator_execute_subtask", new JsonObject { ["subtask_id"] = id["docs"] });
        var blocked = await Call("orchestrator_report_subtask", new JsonObject { ["subtask_id"] = id["docs"], ["outcome"] = "blocked", ["reason"] = "waiting for the style guide" });
        Expect(blocked["task_status"]!.GetValue<string>() == "blocked", "a blocked subtask blocks the task", blocked);
        await Call("orchestrator_reopen_subtask", new JsonObject { ["subtask_id"] = id["docs"], ["action"] = "unblock", ["note"] = "style guide published" });
        await Work("test", "tests pass");
        await Work("docs", "documented");
        var done = await Work("bench", "fast enough");
        Expect(done["task_status"]!.GetValue<string>() == "completed", "the revised plan completes", done);

        var reopened = await Call("orchestrator_reopen_subtask", new JsonObject { ["subtask_id"] = id["design"], ["action"] = "reopen", ["note"] = "support streaming input" });
        Expect(Keys(reopened["flagged"]).SequenceEqual(["build", "docs"]), "dependants that used it are flagged", reopened);
        Expect(reopened["task_status"]!.GetValue<string>() == "in_progress", "the task is open again", reopened);

        var search = await Call("orchestrator_query_tasks", new JsonObject { ["text"] = "stream*", ["tags"] = new JsonArray("parser") });
        Expect(Keys(search["tasks"], "id").SequenceEqual([taskId]), "ranked search with a tag filter", search);
        var artifact = (await Call("orchestrator_synthesize_results", new JsonObject { ["task_id"] = taskId, ["allow_partial"] = true }))["results"]![0]!["artifact_id"]!.GetValue<string>();
        var read = await Call("orchestrator_read_text", new JsonObject { ["ref"] = artifact, ["offset"] = 4, ["limit"] = 6 });
        // The first result is build's latest (approved) work: "the better code".
        Expect(read["text"]!.GetValue<string>() == "better" && read["total_length"]!.GetValue<int>() == 15 && read["next_offset"]!.GetValue<int>() == 10, "read a page", read);

        var final = new JsonObject
        {
            ["status"] = (await server.CallAsync("orchestrator_get_status", new JsonObject { ["task_id"] = taskId })).DeepClone(),
            ["all"] = (await server.CallAsync("orchestrator_get_status", new JsonObject { ["include_completed"] = true })).DeepClone(),
            ["next"] = (await server.CallAsync("orchestrator_next_subtasks")).DeepClone(),
            ["synthesis"] = (await server.CallAsync("orchestrator_synthesize_results", new JsonObject { ["task_id"] = taskId, ["allow_partial"] = true })).DeepClone(),
            ["search"] = (await server.CallAsync("orchestrator_query_tasks", new JsonObject { ["text"] = "parser" })).DeepClone(),
        };
        return Normalize(final.ToJsonString(), project.Path);
    }

    /// <summary>Ids are random and times differ between runs: number the ids by first appearance, blank the times.</summary>
    private static string Normalize(string json, string workingDirectory)
    {
        var numbering = new Dictionary<string, string>();
        json = IdPattern().Replace(json, m =>
        {
            if (!numbering.TryGetValue(m.Value, out var n)) numbering[m.Value] = n = $"<{m.Groups[1].Value}#{numbering.Count}>";
            return n;
        });
        return TimePattern().Replace(json, "<time>").Replace(workingDirectory, "<project>");
    }

    [GeneratedRegex(@"\b(sess|task|sub|art)_[0-9a-f]{12}\b")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z")]
    private static partial Regex TimePattern();
}

internal static class JsonNodeExtensions
{
    /// <summary>Applies <paramref name="change"/> to <paramref name="node"/> and returns it (for building test arguments inline).</summary>
    public static JsonObject Also(this JsonObject node, Action<JsonObject> change)
    {
        change(node);
        return node;
    }

    public static JsonArray ToJsonArray(this IEnumerable<JsonNode?> nodes) => new(nodes.Select(n => n?.DeepClone()).ToArray());
}
