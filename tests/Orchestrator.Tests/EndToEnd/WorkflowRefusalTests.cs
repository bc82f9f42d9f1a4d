using System.Text.Json.Nodes;
using Orchestrator.Tests.Reliability;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>
/// Every kind of refusal of the new task tools over the published binary: the seed's error format with the right code,
/// and the store, dumped row by row before and after, unchanged.
/// </summary>
public class WorkflowRefusalTests
{
    private sealed record Refusal(string Name, string Tool, Func<Dictionary<string, string>, JsonObject> Arguments, string Code, string Says);

    private static readonly Refusal[] Refusals =
    [
        new("complete a pending subtask", "orchestrator_complete_subtask", id => new() { ["subtask_id"] = id["test"], ["summary"] = "s", ["detailed_work"] = "w" },
            "INVALID_STATE", "it is pending, and complete moves a subtask from in_progress to completed"),
        new("retry a completed subtask", "orchestrator_reopen_subtask", id => new() { ["subtask_id"] = id["design"], ["action"] = "retry" },
            "INVALID_STATE", "it is completed, and retry moves a subtask from failed to pending"),
        new("approve a subtask in progress", "orchestrator_review_subtask", id => new() { ["subtask_id"] = id["build"], ["verdict"] = "approve" },
            "INVALID_STATE", "it is in_progress, and approve moves a subtask from needs_review to completed"),
        new("report a pending subtask failed", "orchestrator_report_subtask", id => new() { ["subtask_id"] = id["test"], ["outcome"] = "failed", ["reason"] = "r" },
            "INVALID_STATE", "it is pending, and report as failed moves a subtask from in_progress to failed"),
        new("reopen without saying what to redo", "orchestrator_reopen_subtask", id => new() { ["subtask_id"] = id["design"], ["action"] = "reopen" },
            "INVALID_PARAMETERS", "note: must say what to redo"),
        new("remove a subtask others depend on", "orchestrator_revise_plan", id => new() { ["task_id"] = id["task"], ["remove"] = new JsonArray("test") },
            "INVALID_STATE", "is a dependency of \"docs\""),
        new("change a subtask in progress", "orchestrator_revise_plan",
            id => new() { ["task_id"] = id["task"], ["change"] = new JsonArray(new JsonObject { ["subtask"] = "build", ["title"] = "x" }) },
            "INVALID_STATE", "is in_progress; only a pending, failed, blocked or needs_revision subtask can be changed"),
        new("a revision with a cycle", "orchestrator_revise_plan",
            id => new() { ["task_id"] = id["task"], ["change"] = new JsonArray(new JsonObject { ["subtask"] = "test", ["depends_on"] = new JsonArray("docs") }) },
            "INVALID_PARAMETERS", "dependency cycle \"test\" → \"docs\" → \"test\""),
        new("a revision adding an unknown role and dependency", "orchestrator_revise_plan",
            id => new() { ["task_id"] = id["task"], ["add"] = new JsonArray(new JsonObject { ["title"] = "x", ["role"] = "wizard", ["depends_on"] = new JsonArray("nope") }) },
            "INVALID_PARAMETERS", "add[0].role: unknown role \"wizard\""),
        new("a search FTS5 cannot parse", "orchestrator_query_tasks", _ => new() { ["text"] = "\"unbalanced AND (" },
            "INVALID_PARAMETERS", "text: not a valid search"),
        new("a search with an unknown column", "orchestrator_query_tasks", _ => new() { ["text"] = "owner: me" },
            "INVALID_PARAMETERS", "no such column: owner"),
        new("read something that is not a reference", "orchestrator_read_text", _ => new() { ["ref"] = "/etc/passwd" },
            "INVALID_PARAMETERS", "is not a text reference"),
        new("read past the end", "orchestrator_read_text", id => new() { ["ref"] = id["design"] + "/work", ["offset"] = 1_000 },
            "INVALID_PARAMETERS", "offset: 1000 is beyond the end of the text"),
        new("next for an unknown session", "orchestrator_next_subtasks", _ => new() { ["session_id"] = "sess_000000000000" },
            "NOT_FOUND", "Unknown session id"),
        new("tags that are not tags", "orchestrator_update_task", id => new() { ["task_id"] = id["task"], ["tags"] = new JsonArray("two words") },
            "INVALID_PARAMETERS", "must not contain spaces"),
        new("an outcome the schema does not know", "orchestrator_report_subtask", id => new() { ["subtask_id"] = id["build"], ["outcome"] = "exploded", ["reason"] = "r" },
            "INVALID_PARAMETERS", "outcome"),
    ];

    [Test]
    public async Task Each_refusal_answers_in_the_seed_format_and_changes_nothing()
    {
        using var data = new TempDirectory();
        using var project = new TempDirectory();
        await using var server = await RestartableServer.StartAsync(data.Path);
        var session = (await server.CallAsync("orchestrator_initialize_session", new JsonObject { ["working_directory"] = project.Path }))["session_id"]!.GetValue<string>();
        JsonObject Sub(string key, string role, params string[] dependsOn) =>
            new() { ["key"] = key, ["title"] = key, ["role"] = role, ["depends_on"] = new JsonArray(dependsOn.Select(d => (JsonNode)d).ToArray()) };
        var plan = await server.CallAsync("orchestrator_plan_task", new JsonObject
        {
            ["session_id"] = session, ["title"] = "Refusals",
            ["subtasks"] = new JsonArray(Sub("design", "architect"), Sub("build", "implementer", "design"), Sub("test", "tester", "build"), Sub("docs", "documenter", "test")),
        });
        var id = plan["subtasks"]!.AsArray().ToDictionary(s => s!["key"]!.GetValue<string>(), s => s!["id"]!.GetValue<string>());
        id["task"] = plan["task"]!["id"]!.GetValue<string>();
        await server.CallAsync("orchestrator_execute_subtask", new JsonObject { ["subtask_id"] = id["design"] });
        await server.CallAsync("orchestrator_complete_subtask", new JsonObject { ["subtask_id"] = id["design"], ["summary"] = "s", ["detailed_work"] = "the design" });
        await server.CallAsync("orchestrator_execute_subtask", new JsonObject { ["subtask_id"] = id["build"] });

        var before = StoreDump.Of(data.Path);
        foreach (var refusal in Refusals)
        {
            var error = await server.RefusedAsync(refusal.Tool, refusal.Arguments(id));
            await Assert.That(error["success"]!.GetValue<bool>()).IsFalse().Because(refusal.Name);
            await Assert.That(error["error_code"]!.GetValue<string>()).IsEqualTo(refusal.Code).Because(refusal.Name + ": " + error.ToJsonString());
            await Assert.That(error["error"]!.GetValue<string>() + string.Join(" ", error["errors"]?.AsArray().Select(e => e!.GetValue<string>()) ?? []))
                .Contains(refusal.Says).Because(refusal.Name + ": " + error.ToJsonString());
            await Assert.That(error["phase"]!.GetValue<string>()).IsNotEmpty();
            await Assert.That(error["timestamp"]!.GetValue<string>()).IsNotEmpty();
            await Assert.That(StoreDump.Of(data.Path)).IsEqualTo(before).Because(refusal.Name);
        }
    }
}
