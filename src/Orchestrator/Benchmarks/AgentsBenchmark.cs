using System.Diagnostics;
using System.Text.Json;

namespace Orchestrator.Benchmarks;

/// <summary>
/// <c>orchestrator bench agents [--agents N] [--subtasks M]</c>: many agents on one store. N stdio servers (one process
/// each, as N client windows start them) on one data directory; each agent claims and completes its share of M
/// independent subtasks, all agents at once, every call with a request_id. Measures the claim + complete pair (execute
/// then complete, request sent to answer received) and an idempotent replay (the complete call sent again with its
/// request_id). Prints JSON.
/// </summary>
internal static class AgentsBenchmark
{
    private const string Usage = "Usage: orchestrator bench agents [--agents N] [--subtasks M] [--output FILE]";

    public static Task<int> RunAsync(string[] args)
    {
        var agents = 8;
        var subtasks = 2000;
        string? output = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--agents" when i + 1 < args.Length && int.TryParse(args[i + 1], out var n) && n is > 0 and <= 64: agents = n; i++; break;
                case "--subtasks" when i + 1 < args.Length && int.TryParse(args[i + 1], out var m) && m > 0: subtasks = m; i++; break;
                case "--output" when i + 1 < args.Length: output = args[++i]; break;
                default:
                    Console.Error.WriteLine($"orchestrator bench agents: unexpected '{args[i]}'\n{Usage}");
                    return Task.FromResult(2);
            }
        }
        var scratch = Directory.CreateTempSubdirectory("orchestrator-bench-agents-");
        try
        {
            var data = Path.Combine(scratch.FullName, "data");
            var servers = Enumerable.Range(0, agents).Select(_ => BenchClient.Start(Reboot.ProcessImage.ExecutablePath, ["--data-dir", data])).ToList();
            try
            {
                foreach (var server in servers) server.Initialize();
                var ids = Plan(servers[0], scratch.FullName, subtasks);
                var pairs = new List<double>[agents];
                var replays = new List<double>[agents];
                var started = Stopwatch.GetTimestamp();
                var threads = Enumerable.Range(0, agents).Select(a => new Thread(() =>
                    (pairs[a], replays[a]) = Work(servers[a], $"agent-{a + 1}", ids.Where((_, i) => i % agents == a).ToList()))).ToList();
                threads.ForEach(t => t.Start());
                threads.ForEach(t => t.Join());
                var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
                var json = Report(agents, subtasks, seconds, pairs.SelectMany(p => p).ToList(), replays.SelectMany(r => r).ToList());
                if (output is not null) File.WriteAllText(output, json + "\n");
                Console.Out.WriteLine(json);
                return Task.FromResult(0);
            }
            finally
            {
                foreach (var server in servers) server.Dispose();
            }
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    /// <summary>Plans tasks of 20 independent subtasks (an answer lists them all) until there are <paramref name="count"/>; their ids.</summary>
    private static List<string> Plan(BenchClient server, string workingDirectory, int count)
    {
        var session = server.CallToolStructured("orchestrator_initialize_session", $$"""{"working_directory":{{JsonLiteral.Of(workingDirectory)}}}""").GetProperty("session_id").GetString()!;
        var ids = new List<string>();
        for (var planned = 0; planned < count; planned += 20)
        {
            var size = Math.Min(20, count - planned);
            var steps = string.Join(",", Enumerable.Range(1, size).Select(i => $$"""{"key":"s{{i}}","title":"Step {{i}}","role":"implementer"}"""));
            var plan = server.CallToolStructured("orchestrator_plan_task", $$"""{"session_id":"{{session}}","title":"Agents {{planned}}","subtasks":[{{steps}}]}""");
            var listed = plan.GetProperty("subtasks").EnumerateArray().Select(s => s.GetProperty("id").GetString()!).ToList();
            if (listed.Count != size) throw new InvalidOperationException($"the plan's answer listed {listed.Count} of {size} subtasks");
            ids.AddRange(listed);
        }
        return ids;
    }

    private static (List<double> Pairs, List<double> Replays) Work(BenchClient server, string agent, List<string> ids)
    {
        var pairs = new List<double>(ids.Count);
        var replays = new List<double>(ids.Count);
        foreach (var id in ids)
        {
            var complete = $$"""{"subtask_id":"{{id}}","agent":"{{agent}}","summary":"done","detailed_work":"the work","request_id":"{{agent}}/complete/{{id}}"}""";
            var started = Stopwatch.GetTimestamp();
            server.CallToolStructured("orchestrator_execute_subtask", $$"""{"subtask_id":"{{id}}","agent":"{{agent}}","request_id":"{{agent}}/execute/{{id}}"}""");
            var first = server.CallToolStructured("orchestrator_complete_subtask", complete).GetRawText();
            pairs.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);

            started = Stopwatch.GetTimestamp();
            var again = server.CallToolStructured("orchestrator_complete_subtask", complete).GetRawText();
            replays.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (again != first) throw new InvalidOperationException($"the replay of {id} answered differently: {again} after {first}");
        }
        return (pairs, replays);
    }



    private static string Report(int agents, int subtasks, double seconds, List<double> pairs, List<double> replays)
    {
        return BenchmarkReport.Write("orchestrator bench agents", w =>
        {
            w.WriteNumber("agents", agents);
            w.WriteNumber("subtasks", subtasks);
            w.WriteNumber("seconds", Math.Round(seconds, 2));
            w.WriteNumber("pairs_per_second", Math.Round(pairs.Count / seconds, 1));
            LatencyStats.Of(pairs).Write(w, "claim_complete_pair", "execute_subtask then complete_subtask with request ids, each agent its own stdio server on one store, all at once");
            LatencyStats.Of(replays).Write(w, "idempotent_replay", "complete_subtask sent again with its request_id: the first answer from the store");
        });
    }
}
