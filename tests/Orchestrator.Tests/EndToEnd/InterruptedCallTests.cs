using System.Text;
using System.Text.Json.Nodes;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>
/// A non-graceful restart answers the calls still in flight itself. The answer must not lie: a call answered as not
/// started never runs (safe to retry); only a call whose handler had started is answered as one that may have run.
/// </summary>
public sealed class InterruptedCallTests
{
    private const int Calls = 120;
    private const int MaxTries = 10;

    [Test]
    public async Task Calls_interrupted_before_they_started_did_not_run_and_say_so()
    {
        using var data = new TempDirectory();
        using var project = new TempDirectory();
        await using var client = await McpStdioClient.StartInitializedAsync(data.Path);
        var session = (await client.CallToolAsync("orchestrator_initialize_session",
            new JsonObject { ["working_directory"] = project.Path })).Structured()["session_id"]!.GetValue<string>();

        var notStarted = 0;
        for (var attempt = 0; attempt < MaxTries && notStarted == 0; attempt++)
        {
            // One write: the restart (graceful:false) and, right behind it, calls that each create a task of its own title.
            var batch = new StringBuilder();
            var restartId = $"restart-{attempt}";
            batch.Append(Call(restartId, "orchestrator_restart_server", new JsonObject { ["graceful"] = false, ["reason"] = "manual_request" })).Append('\n');
            var titles = new Dictionary<string, string>();
            for (var i = 0; i < Calls; i++)
            {
                var id = $"plan-{attempt}-{i}";
                titles[id] = $"task {attempt}.{i}";
                batch.Append(Call(id, "orchestrator_plan_task", new JsonObject
                {
                    ["session_id"] = session, ["title"] = titles[id],
                    ["subtasks"] = new JsonArray(new JsonObject { ["title"] = "work", ["role"] = "implementer" }),
                })).Append('\n');
            }
            var restart = client.ExpectAnswer(restartId);
            var answers = titles.Keys.ToDictionary(id => id, client.ExpectAnswer);
            client.WriteRaw(batch.ToString());
            await Assert.That((await restart)["result"]!.AsObject().Structured()["success"]!.GetValue<bool>()).IsTrue();

            // Every call answered first: a call held through the restart runs in the new image, after the restart's answer,
            // and the store is read once none is still running.
            await Task.WhenAll(answers.Values);
            var stored = await StoredTitlesAsync(client, session);
            foreach (var (id, answerTask) in answers)
            {
                var answer = await answerTask;
                var exists = stored.Contains(titles[id]);
                if (answer["result"] is { } result)
                {
                    await Assert.That(exists).IsTrue().Because($"{id} was answered as done: {result.ToJsonString()}");
                    continue;
                }
                var error = answer["error"]!;
                await Assert.That(error["code"]!.GetValue<int>()).IsEqualTo(-32001).Because(answer.ToJsonString());
                var started = error["data"]!["started"]!.GetValue<bool>();
                await Assert.That(error["data"]!["safe_to_retry"]!.GetValue<bool>()).IsEqualTo(!started);
                if (started)
                {
                    await Assert.That(error["message"]!.GetValue<string>()).Contains("may or may not have taken effect");
                    continue;
                }
                notStarted++;
                await Assert.That(error["message"]!.GetValue<string>()).Contains("before it started").And.Contains("safe to retry");
                await Assert.That(exists).IsFalse().Because($"{id} was answered as not started, yet its task exists");
            }
            foreach (var id in answers.Keys) await Assert.That(client.AnswerCounts[id]).IsEqualTo(1);
        }
        // Calls queued behind the restart are taken over before they start: the case this test is about did occur.
        await Assert.That(notStarted).IsGreaterThan(0);
    }

    private static string Call(string id, string tool, JsonObject arguments) => new JsonObject
    {
        ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = "tools/call",
        ["params"] = new JsonObject { ["name"] = tool, ["arguments"] = arguments },
    }.ToJsonString();

    private static async Task<HashSet<string>> StoredTitlesAsync(McpStdioClient client, string session)
    {
        var titles = new HashSet<string>();
        // A page ends early when the answer budget cuts it short: next_offset says where the next one starts.
        for (int? offset = 0; offset is not null; )
        {
            var page = (await client.CallToolAsync("orchestrator_query_tasks",
                new JsonObject { ["session_id"] = session, ["limit"] = 100, ["offset"] = offset })).Structured();
            foreach (var task in page["tasks"]!.AsArray()) titles.Add(task!["title"]!.GetValue<string>());
            offset = page["has_more"]!.GetValue<bool>() ? page["next_offset"]!.GetValue<int>() : null;
        }
        return titles;
    }
}
