using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>
/// The orchestration core across an in-place restart: a five-subtask plan worked through with a restart in the
/// middle of one subtask ends in exactly the state of the same run without the restart.
/// </summary>
public partial class TaskRestartTests
{
    [Test]
    public async Task A_restart_in_the_middle_of_a_subtask_changes_nothing_in_the_outcome()
    {
        var withoutRestart = await RunScenarioAsync(restartDuringSubtask: false);
        var withRestart = await RunScenarioAsync(restartDuringSubtask: true);

        await Assert.That(withRestart.SuspendedAcrossRestart).IsTrue();
        var firstDifference = Enumerable.Range(0, Math.Min(withRestart.Final.Length, withoutRestart.Final.Length)).FirstOrDefault(i => withRestart.Final[i] != withoutRestart.Final[i]);
        await Assert.That(withRestart.Final).IsEqualTo(withoutRestart.Final)
            .Because($"they differ at {firstDifference}: …{withoutRestart.Final.Substring(Math.Max(0, firstDifference - 150), 300)}… vs …{withRestart.Final.Substring(Math.Max(0, firstDifference - 150), 300)}…");
        await Assert.That(withRestart.Final).Contains("\"status\":\"completed\"");
    }

    private sealed record ScenarioOutcome(string Final, bool SuspendedAcrossRestart);

    private static async Task<ScenarioOutcome> RunScenarioAsync(bool restartDuringSubtask)
    {
        using var data = new TempDirectory();
        using var project = new TempDirectory();
        await using var client = await McpStdioClient.StartInitializedAsync(data.Path);

        var session = (await client.CallToolAsync("orchestrator_initialize_session", new JsonObject { ["working_directory"] = project.Path })).Structured();
        var sessionId = session["session_id"]!.GetValue<string>();
        JsonObject Sub(string key, string title, string role, params string[] dependsOn) => new()
        {
            ["key"] = key, ["title"] = title, ["role"] = role, ["description"] = $"{title} for the parser",
            ["depends_on"] = new JsonArray(dependsOn.Select(d => (JsonNode)d).ToArray()),
        };
        var plan = (await client.CallToolAsync("orchestrator_plan_task", new JsonObject
        {
            ["session_id"] = sessionId,
            ["title"] = "Add a streaming JSON parser",
            ["description"] = "Parse large documents without loading them whole",
            ["subtasks"] = new JsonArray(
                Sub("design", "Design the API", "architect"),
                Sub("build", "Implement the parser", "implementer", "design"),
                Sub("test", "Test edge cases", "tester", "build"),
                Sub("docs", "Document the API", "documenter", "design"),
                Sub("review", "Review the change", "reviewer", "test", "docs")),
        })).Structured();
        var taskId = plan["task"]!["id"]!.GetValue<string>();
        var ids = plan["subtasks"]!.AsArray().ToDictionary(s => s!["key"]!.GetValue<string>(), s => s!["id"]!.GetValue<string>());

        async Task Work(string key)
        {
            (await client.CallToolAsync("orchestrator_execute_subtask", new JsonObject { ["subtask_id"] = ids[key] })).Structured();
            await Complete(key);
        }
        async Task Complete(string key) =>
            (await client.CallToolAsync("orchestrator_complete_subtask", new JsonObject
            {
                ["subtask_id"] = ids[key], ["summary"] = $"{key} done", ["detailed_work"] = $"All of the {key} work, in detail.",
                ["file_paths"] = new JsonArray((JsonNode)$"src/{key}.cs"), ["artifact_type"] = "code", ["next_action"] = "continue",
            })).Structured();

        await Work("design");
        await Work("build");
        (await client.CallToolAsync("orchestrator_execute_subtask", new JsonObject { ["subtask_id"] = ids["docs"] })).Structured();
        var suspendedAcross = false;
        if (restartDuringSubtask)
        {
            var pid = client.Pid;
            var restart = (await client.CallToolAsync("orchestrator_restart_server")).Structured();
            if (restart["phase"]!.GetValue<string>() != "complete" || client.Pid != pid) throw new InvalidOperationException(restart.ToJsonString());
            // The subtask that was in progress was suspended for the restart and is in progress again after it.
            var history = (await client.CallToolAsync("orchestrator_get_status", new JsonObject { ["task_id"] = taskId })).Structured();
            suspendedAcross = history["subtasks"]!.AsArray().Single(s => s!["id"]!.GetValue<string>() == ids["docs"])!["status"]!.GetValue<string>() == "in_progress";
        }
        await Complete("docs");
        await Work("test");
        await Work("review");
        var synthesis = (await client.CallToolAsync("orchestrator_synthesize_results", new JsonObject { ["task_id"] = taskId })).Structured();
        var status = (await client.CallToolAsync("orchestrator_get_status", new JsonObject { ["task_id"] = taskId, ["include_completed"] = true })).Structured();
        var final = new JsonObject { ["synthesis"] = synthesis.DeepClone(), ["status"] = status.DeepClone() };
        return new ScenarioOutcome(Normalize(final.ToJsonString(), project.Path), suspendedAcross);
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
        json = TimePattern().Replace(json, "<time>");
        json = DurationPattern().Replace(json, "$1<n>");
        return json.Replace(workingDirectory, "<project>");
    }

    [GeneratedRegex(@"\b(sess|task|sub|art)_[0-9a-f]{12}\b")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z")]
    private static partial Regex TimePattern();

    [GeneratedRegex(@"(""[a-z_]*(seconds|duration)"":)[0-9.]+")]
    private static partial Regex DurationPattern();
}
