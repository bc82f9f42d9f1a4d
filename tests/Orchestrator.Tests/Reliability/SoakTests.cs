using System.Diagnostics;
using System.Text.Json.Nodes;
using Orchestrator.Tests.EndToEnd;

namespace Orchestrator.Tests.Reliability;

/// <summary>
/// A client pipelining task writes and reads while the server restarts in place N times (100 here; set
/// <c>ORCHESTRATOR_SOAK_RESTARTS=1000</c> for the long run): every request is answered exactly once and without
/// error, the history counts every restart, and the final task state equals that of the same calls replayed on a
/// fresh server that never restarts. Prints the figures.
/// </summary>
public class SoakTests
{
    private static int Restarts =>
        int.TryParse(Environment.GetEnvironmentVariable("ORCHESTRATOR_SOAK_RESTARTS"), out var n) && n > 0 ? n : 100;

    [Test]
    public async Task Pipelined_calls_through_repeated_restarts_end_in_the_state_of_a_replay_without_restarts()
    {
        var restarts = Restarts;
        var soak = await RunAsync(restarts, withRestarts: true);
        var replay = await RunAsync(restarts, withRestarts: false);

        await Assert.That(soak.Unanswered).IsEqualTo(0);
        await Assert.That(soak.AnsweredMoreThanOnce).IsEqualTo(0);
        await Assert.That(soak.Errors).IsEmpty().Because(string.Join("\n", soak.Errors.Take(5)));
        await Assert.That(replay.Errors).IsEmpty().Because(string.Join("\n", replay.Errors.Take(5)));
        await Assert.That(soak.HistoryTotal).IsEqualTo(restarts);
        await Assert.That(soak.HistorySuccessful).IsEqualTo(Math.Min(restarts, 10)); // the history lists the 10 most recent
        await Assert.That(soak.Latencies.Count).IsEqualTo(restarts);
        await Assert.That(soak.FinalState.Count).IsEqualTo(restarts * 4);
        await Assert.That(soak.FinalState).IsEquivalentTo(replay.FinalState, TUnit.Assertions.Enums.CollectionOrdering.Matching);

        var sorted = soak.Latencies.Order().ToArray();
        Console.WriteLine($"soak: {restarts} restarts, {soak.Calls} calls ({soak.Calls / soak.Elapsed.TotalSeconds:F0}/s), {soak.Elapsed.TotalSeconds:F1} s; " +
                          $"restart call → answer median {Percentile(sorted, 0.5):F2} ms, p99 {Percentile(sorted, 0.99):F2} ms, max {sorted[^1]:F2} ms; " +
                          $"replay without restarts {replay.Elapsed.TotalSeconds:F1} s");
    }

    private sealed record SoakOutcome(List<string> FinalState, int Calls, int Unanswered, int AnsweredMoreThanOnce, List<string> Errors,
        List<double> Latencies, int HistoryTotal, int HistorySuccessful, TimeSpan Elapsed);

    /// <summary>
    /// The same script either way, each round's calls pipelined. Round r: plan A_r, B_r, C_r; update A_(r-1); start B_(r-1)'s subtask; complete
    /// B_(r-2)'s; then (with restarts) the restart call; then plan D_r and read C_(r-1): sent while the restart runs,
    /// held by maintenance mode, answered by the new image.
    /// </summary>
    private static async Task<SoakOutcome> RunAsync(int rounds, bool withRestarts)
    {
        using var data = new TempDirectory();
        await using var client = await McpStdioClient.StartInitializedAsync(data.Path);
        var sessionId = await TaskProbe.SessionAsync(client);
        var sent = new List<(string Id, Task<JsonObject> Answer)>();
        var errors = new List<string>();
        var latencies = new List<double>();
        var tasks = new Dictionary<string, (string TaskId, string SubtaskId)>();
        var clock = Stopwatch.StartNew();
        var roundStart = 0;

        (string, Task<JsonObject>) Call(string tool, JsonObject arguments)
        {
            var call = client.SendToolCall(tool, arguments);
            sent.Add(call);
            return call;
        }
        async Task Remember(string label, Task<JsonObject> answer)
        {
            var planned = (await answer).Result().Structured();
            tasks[label] = (planned["task"]!["id"]!.GetValue<string>(), planned["subtasks"]![0]!["id"]!.GetValue<string>());
        }

        for (var r = 0; r < rounds; r++)
        {
            var plans = new List<(string Label, Task<JsonObject> Answer)>();
            foreach (var label in new[] { $"A{r}", $"B{r}", $"C{r}" })
                plans.Add((label, Call("orchestrator_plan_task", TaskProbe.Plan(sessionId, label)).Item2));
            if (r >= 1)
            {
                Call("orchestrator_update_task", new JsonObject { ["task_id"] = tasks[$"A{r - 1}"].TaskId, ["description"] = $"updated in round {r}" });
                Call("orchestrator_execute_subtask", new JsonObject { ["subtask_id"] = tasks[$"B{r - 1}"].SubtaskId });
            }
            if (r >= 2)
                Call("orchestrator_complete_subtask", new JsonObject { ["subtask_id"] = tasks[$"B{r - 2}"].SubtaskId, ["summary"] = $"done in round {r}", ["detailed_work"] = $"the work of B{r - 2}" });

            (string Id, Task<JsonObject> Answer)? restart = null;
            var started = Stopwatch.GetTimestamp();
            if (withRestarts) restart = client.SendToolCall("orchestrator_restart_server");
            plans.Add(($"D{r}", Call("orchestrator_plan_task", TaskProbe.Plan(sessionId, $"D{r}")).Item2));
            if (r >= 1) Call("orchestrator_get_status", new JsonObject { ["task_id"] = tasks[$"C{r - 1}"].TaskId });

            if (restart is { } call)
            {
                var answer = (await call.Answer).Result();
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (answer["isError"]?.GetValue<bool>() == true || answer["structuredContent"]!["phase"]!.GetValue<string>() != "complete")
                    errors.Add($"restart {r}: {answer.ToJsonString()}");
                if (client.AnswerCounts.GetValueOrDefault(call.Id) != 1) errors.Add($"restart {r} answered {client.AnswerCounts.GetValueOrDefault(call.Id)} times");
            }
            foreach (var (label, answer) in plans) await Remember(label, answer);
            // Calls within a round are independent and run concurrently; the next round depends on this one's (B's
            // subtask is started in one round, completed in the next), so it waits for all of them, in both runs.
            foreach (var (_, answer) in sent.Skip(roundStart)) await answer;
            roundStart = sent.Count;
        }
        foreach (var (id, answer) in sent)
        {
            var result = (await answer).Result();
            if (result["isError"]?.GetValue<bool>() == true) errors.Add($"call {id}: {result.ToJsonString()}");
        }
        var elapsed = clock.Elapsed;
        var unanswered = sent.Count(c => !client.AnswerCounts.ContainsKey(c.Id));
        var repeated = client.AnswerCounts.Count(kv => kv.Value != 1);

        var history = await TaskProbe.HistoryAsync(client);
        return new SoakOutcome(await FinalStateAsync(client), sent.Count + latencies.Count, unanswered, repeated, errors, latencies,
            history["total_restarts"]!.GetValue<int>(), history["recent_restarts"]!.AsArray().Count(h => h!["success"]!.GetValue<bool>()), elapsed);
    }

    /// <summary>Every task as the client sees it, without ids and times (which differ between two runs), in title order.</summary>
    private static async Task<List<string>> FinalStateAsync(McpStdioClient client)
    {
        var state = new List<string>();
        // A page ends early when the answer budget cuts it short: next_offset says where the next one starts.
        for (int? offset = 0; offset is not null; )
        {
            var page = (await client.CallToolAsync("orchestrator_query_tasks", new JsonObject { ["limit"] = 100, ["offset"] = offset })).Structured();
            foreach (var task in page["tasks"]!.AsArray())
                state.Add(string.Join(" | ", task!["title"], task["description"], task["status"], task["complexity"], task["progress"]?.ToJsonString()));
            offset = page["has_more"]!.GetValue<bool>() ? page["next_offset"]!.GetValue<int>() : null;
        }
        state.Sort(StringComparer.Ordinal);
        return state;
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
