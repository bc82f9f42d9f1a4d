using System.Text;
using System.Text.Json.Nodes;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>
/// Bounded answers over the wire: with the largest legal inputs stored through the published binary, the text of
/// every tool's answer (the JSON a client reads; structuredContent is the same) stays within the answer budget, the
/// default and one set by flag, and a cut answer says so.
/// </summary>
public class AnswerBudgetEndToEndTests
{
    private const string Word = "quasar";

    private static string Text(int length)
    {
        const string piece = "Lorem \"ipsum\" dolor é ü \\ sit amet " + Word + "\n";
        var text = new StringBuilder(length + piece.Length).Append('T');
        while (text.Length < length) text.Append(piece);
        text.Length = length;
        text[length - 1] = 'Z';
        return text.ToString();
    }

    private static JsonArray Array(IEnumerable<string> items) => new(items.Select(i => (JsonNode)i).ToArray());

    [Test]
    [Arguments(20_000, null)]
    [Arguments(9_000, "9000")]
    public async Task Every_tool_answers_within_the_budget_with_the_largest_legal_inputs(int budget, string? flag)
    {
        using var data = new TempDirectory();
        using var project = new TempDirectory();
        await using var server = await RestartableServer.StartAsync(data.Path, flag is null ? [] : ["--answer-budget", flag]);
        var sizes = new List<(string Tool, int Length)>();
        async Task<JsonObject> Call(string tool, JsonObject? arguments = null)
        {
            var raw = await server.RawAsync(tool, arguments);
            var text = raw["content"]![0]!["text"]!.GetValue<string>();
            sizes.Add((tool, text.Length));
            if (text.Length > budget) throw new InvalidOperationException($"{tool} answered {text.Length} characters (budget {budget})");
            return raw.Structured();
        }

        // A roles file near its 1 MiB limit: one half-million-character prompt, 150 roles with long descriptions.
        var roles = new StringBuilder("{\"roles\":{\"giant\":{\"description\":\"d\",\"prompt\":\"P").Append('g', 499_999).Append("\"}");
        for (var r = 0; r < 150; r++) roles.Append($",\"r{r}\":{{\"description\":\"D{new string('d', 1_999)}\",\"prompt\":\"p\"}}");
        Directory.CreateDirectory(Path.Combine(project.Path, ".orchestrator"));
        File.WriteAllText(Path.Combine(project.Path, ".orchestrator", "roles.json"), roles.Append("}}").ToString());
        var session = (await Call("orchestrator_initialize_session", new JsonObject { ["working_directory"] = project.Path }))["session_id"]!.GetValue<string>();
        var tags = Array(Enumerable.Range(0, 20).Select(i => $"tag{i:00}-" + new string('x', 34)));

        // 50 subtasks at every limit; the last depends on all the others.
        var plan = await Call("orchestrator_plan_task", new JsonObject
        {
            ["session_id"] = session, ["title"] = Text(200), ["description"] = Text(20_000), ["priority"] = "high", ["tags"] = tags.DeepClone(),
            ["subtasks"] = new JsonArray(Enumerable.Range(0, 50).Select(i => (JsonNode)new JsonObject
            {
                ["key"] = $"s{i:00}", ["title"] = Text(200), ["description"] = Text(20_000), ["role"] = "giant", ["estimated_effort"] = Text(100),
                ["depends_on"] = i < 49 ? new JsonArray() : Array(Enumerable.Range(0, 49).Select(d => $"s{d:00}")),
            }).ToArray()),
        });
        await Assert.That(plan["truncated"]).IsNotNull();
        var taskId = plan["task"]!["id"]!.GetValue<string>();
        var ids = new List<string>();
        for (int? offset = 0; offset is { } from;)
        {
            var page = await Call("orchestrator_get_status", new JsonObject { ["task_id"] = taskId, ["subtask_offset"] = from });
            ids.AddRange(page["subtasks"]!.AsArray().Select(s => s!["id"]!.GetValue<string>()));
            offset = page["next_subtask_offset"]?.GetValue<int>();
        }
        await Assert.That(ids.Count).IsEqualTo(50);

        var paths = Array(Enumerable.Range(0, 200).Select(p => $"/p{p:000}/" + new string('f', 4_090)));
        string? artifactId = null;
        for (var i = 0; i < 49; i++)
        {
            await Call("orchestrator_execute_subtask", new JsonObject { ["subtask_id"] = ids[i] });
            var completed = await Call("orchestrator_complete_subtask", new JsonObject
            {
                ["subtask_id"] = ids[i], ["summary"] = Text(20_000), ["detailed_work"] = Text(1_000_000), ["file_paths"] = paths.DeepClone(),
                ["artifact_type"] = "code", ["next_action"] = Text(2_000),
            });
            artifactId ??= completed["artifact_id"]!.GetValue<string>();
        }
        for (var t = 0; t < 100; t++)
            await Call("orchestrator_plan_task", new JsonObject
            {
                ["session_id"] = session, ["title"] = Text(200), ["description"] = Text(20_000), ["tags"] = tags.DeepClone(),
                ["subtasks"] = new JsonArray(new JsonObject { ["title"] = Text(200), ["description"] = Text(20_000), ["role"] = $"r{t}", ["review_required"] = true }),
            });

        var execute = await Call("orchestrator_execute_subtask", new JsonObject { ["subtask_id"] = ids[49] });
        await Assert.That(execute["truncated"]!.GetValue<string>()).Contains($"answer budget of {budget} characters");
        await Assert.That(execute["dependency_results"]![0]!["artifact_id"]).IsNotNull();
        await Call("orchestrator_synthesize_results", new JsonObject { ["task_id"] = taskId, ["allow_partial"] = true });
        await Call("orchestrator_get_status", new JsonObject { ["limit"] = 100, ["include_completed"] = true });
        await Call("orchestrator_query_tasks", new JsonObject { ["limit"] = 100 });
        var search = await Call("orchestrator_query_tasks", new JsonObject { ["limit"] = 100, ["text"] = Word });
        await Assert.That(search["has_more"]!.GetValue<bool>()).IsTrue();
        await Call("orchestrator_next_subtasks", new JsonObject { ["limit"] = 50 });
        await Call("orchestrator_update_task", new JsonObject { ["task_id"] = taskId, ["priority"] = "critical" });
        await Call("orchestrator_report_subtask", new JsonObject { ["subtask_id"] = ids[49], ["outcome"] = "needs_revision", ["reason"] = Text(20_000) });
        await Call("orchestrator_revise_plan", new JsonObject
        {
            ["task_id"] = taskId, ["change"] = new JsonArray(new JsonObject { ["subtask"] = ids[49], ["description"] = Text(19_999) }),
        });
        await Call("orchestrator_reopen_subtask", new JsonObject { ["subtask_id"] = ids[0], ["action"] = "reopen", ["note"] = Text(20_000) });
        var read = await Call("orchestrator_read_text", new JsonObject { ["ref"] = artifactId });
        await Assert.That(read["total_length"]!.GetValue<int>()).IsEqualTo(1_000_000);
        await Assert.That(read["next_offset"]!.GetValue<int>()).IsEqualTo(read["length"]!.GetValue<int>());
        await Call("orchestrator_cancel_task", new JsonObject { ["task_id"] = taskId, ["reason"] = Text(20_000) });
        // One subtask of the other tasks waits for review: the review answers within the budget too.
        var gated = (await Call("orchestrator_next_subtasks", new JsonObject { ["limit"] = 1 }))["subtasks"]![0]!["subtask"]!["id"]!.GetValue<string>();
        await Call("orchestrator_execute_subtask", new JsonObject { ["subtask_id"] = gated });
        await Call("orchestrator_complete_subtask", new JsonObject { ["subtask_id"] = gated, ["summary"] = Text(20_000), ["detailed_work"] = Text(1_000_000), ["file_paths"] = paths.DeepClone() });
        await Call("orchestrator_review_subtask", new JsonObject { ["subtask_id"] = gated, ["verdict"] = "revise", ["notes"] = Text(20_000) });
        // The reboot tools too, history included.
        await server.RestartInPlaceAsync();
        await Call("orchestrator_health_check");
        await Call("orchestrator_shutdown_prepare");
        await Call("orchestrator_restart_status", new JsonObject { ["include_history"] = true, ["include_error_details"] = true });
        await Call("orchestrator_reconnect_test");

        await Assert.That(sizes.Select(s => s.Tool).Distinct().Count()).IsEqualTo(19);
        await Assert.That(sizes.Max(s => s.Length)).IsLessThanOrEqualTo(budget);
    }
}
