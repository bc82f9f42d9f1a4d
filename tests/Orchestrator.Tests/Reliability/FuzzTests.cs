using System.Diagnostics;
using System.Text.Json.Nodes;
using Orchestrator.Tests.EndToEnd;

namespace Orchestrator.Tests.Reliability;

/// <summary>
/// 10,000 seeded bad frames pipelined into one running server over its real stdin: every request is answered once,
/// with a JSON-RPC error or INVALID_PARAMETERS as its case demands; unreadable frames get an error without an id;
/// notifications and stray responses get nothing; the process lives, answers a ping, and neither the store nor
/// the client's session changed.
/// </summary>
public class FuzzTests
{
    private const int Cases = 10_000;
    private const int Seed = 20261126;

    [Test]
    public async Task Ten_thousand_fuzzed_frames_get_errors_and_change_nothing()
    {
        using var data = new TempDirectory();
        await using var client = await McpStdioClient.StartInitializedAsync(data.Path);
        var pid = client.Pid;
        // Something to protect: a session and a task.
        var taskId = await TaskProbe.AssertWritableAsync(client);
        var storeBefore = StoreDump.Of(data.Path);
        var sessionBefore = await SessionStatusAsync(client);

        var tools = (await client.RequestAsync("tools/list"))["tools"]!.AsArray()
            .Select(t => (t!["name"]!.GetValue<string>(), t["inputSchema"]!.AsObject())).ToList();
        var cases = new FrameFuzzer(Seed, tools).Generate(Cases).ToList();
        var answers = cases.Where(c => c.Id is not null).ToDictionary(c => c.Id!, c => (Case: c, Answer: client.ExpectAnswer(c.Id!)));

        var clock = Stopwatch.StartNew();
        // Pipelined: all frames written back to back on another thread while answers are read as they come.
        var writer = Task.Run(() =>
        {
            foreach (var c in cases) client.WriteRaw([.. c.Frame, (byte)'\n']);
        });
        await writer.WaitAsync(McpStdioClient.AnswerTimeout);
        var wrong = new List<string>();
        foreach (var (id, (c, answer)) in answers)
        {
            var problem = Judge(c, await answer);
            if (problem is not null) wrong.Add($"case {c.Number} ({c.Kind}): {problem}");
        }
        // Liveness after everything, through the fast path and through the SDK's queue (which also saw the notifications).
        await Assert.That((await client.SendAsync("ping")).ContainsKey("result")).IsTrue();
        await Assert.That((await client.SendAsync("fuzz/last"))["error"]!["code"]!.GetValue<int>()).IsEqualTo(-32601);
        var elapsed = clock.Elapsed;

        await Assert.That(wrong).IsEmpty().Because(string.Join("\n", wrong.Take(20)));
        var withoutId = cases.Count(c => c.Expect == FuzzExpectation.ErrorWithoutId);
        var unmatched = client.UnmatchedAnswers.ToArray();
        await Assert.That(unmatched.All(a => a["error"]?["code"]?.GetValue<int>() is -32700 or -32600)).IsTrue();
        await Assert.That(unmatched.Length).IsEqualTo(withoutId);
        await Assert.That(client.AnswerCounts.Where(kv => answers.ContainsKey(kv.Key)).All(kv => kv.Value == 1)).IsTrue();
        await Assert.That(client.AnswerCounts.Keys.Where(k => k.StartsWith("nobody-asked", StringComparison.Ordinal))).IsEmpty();
        await Assert.That(client.ForeignLines).IsEmpty();

        // Nothing changed: the same process, the same store, row for row, and the session the client negotiated.
        await Assert.That(client.Pid).IsEqualTo(pid);
        await Assert.That(client.HasExited).IsFalse();
        await Assert.That(StoreDump.Of(data.Path)).IsEqualTo(storeBefore);
        await Assert.That(await SessionStatusAsync(client)).IsEqualTo(sessionBefore);
        await TaskProbe.AssertTaskExistsAsync(client, taskId);

        var counts = cases.GroupBy(c => c.Expect).ToDictionary(g => g.Key, g => g.Count());
        Console.WriteLine($"fuzz: {cases.Count} cases (seed {Seed}), {cases.Sum(c => (long)c.Frame.Length) / 1024} KiB, in {elapsed.TotalSeconds:F1} s: " +
                          string.Join(", ", counts.Select(kv => $"{kv.Key} {kv.Value}")));
    }

    /// <summary>Why <paramref name="answer"/> is not what case <paramref name="c"/> demands, or null.</summary>
    private static string? Judge(FuzzCase c, JsonObject answer)
    {
        switch (c.Expect)
        {
            case FuzzExpectation.JsonRpcError:
                return answer["error"]?["code"] is JsonValue code && code.GetValue<int>() < 0 && answer["error"]!["message"] is JsonValue
                    ? null
                    : "expected a JSON-RPC error, got " + Clip(answer);
            case FuzzExpectation.InvalidParameters:
                if (answer["result"] is not JsonObject result || result["isError"]?.GetValue<bool>() != true) return "expected a tool error, got " + Clip(answer);
                var error = result.Error();
                return error["error_code"]?.GetValue<string>() == "INVALID_PARAMETERS" && error["success"]?.GetValue<bool>() == false &&
                       error["phase"] is not null && error["timestamp"] is not null
                    ? null
                    : "expected INVALID_PARAMETERS in the seed's format, got " + Clip(answer);
            default:
                return $"no answer was expected, got {Clip(answer)}";
        }
    }

    private static string Clip(JsonObject answer)
    {
        var text = answer.ToJsonString();
        return text.Length <= 400 ? text : text[..400] + "…";
    }

    private static async Task<string> SessionStatusAsync(McpStdioClient client) =>
        (await client.CallToolAsync("orchestrator_reconnect_test")).Structured()["results"]!["all_sessions"]!["status"]!.GetValue<string>();
}
