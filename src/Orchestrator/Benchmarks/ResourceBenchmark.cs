using System.Diagnostics;
using System.Text.Json;

namespace Orchestrator.Benchmarks;

/// <summary>
/// <c>orchestrator bench resources [--tasks N] [--count M]</c>: how fast resources, prompts and completions answer over
/// stdio with N tasks stored (<see cref="TaskStoreSeeder"/>): <c>resources/read</c> of a 100 KB artifact and of a task's
/// report, <c>resources/list</c> pages at the start and deep in the list (from a cursor), <c>prompts/get</c>,
/// <c>completion/complete</c>, each M times, timed from request sent to the answer's line read (before the client parses it). <c>ping</c> is measured in
/// the same run as the baseline (a request that does no work), and each figure is also given as a ratio to it. Prints JSON.
/// </summary>
internal static class ResourceBenchmark
{
    /// <summary>The artifact read: 100 KB of Markdown, the size the target names.</summary>
    private const int ArtifactBytes = 100 * 1024;

    public static Task<int> RunAsync(string[] args)
    {
        if (SeededBenchmarkOptions.Parse("resources", args, tasks: 100_000, count: 200) is not var (tasks, count, output)) return Task.FromResult(2);
        var scratch = Directory.CreateTempSubdirectory("orchestrator-bench-resources-");
        try
        {
            var dataDirectory = Path.Combine(scratch.FullName, "data");
            TaskStoreSeeder.Seed(dataDirectory, tasks, scratch.FullName);
            var samples = Measure(Reboot.ProcessImage.ExecutablePath, dataDirectory, scratch.FullName, tasks, count);
            var json = Report(tasks, count, samples);
            if (output is not null) File.WriteAllText(output, json + "\n");
            Console.Out.WriteLine(json);
            return Task.FromResult(0);
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    private static Dictionary<string, List<double>> Measure(string binary, string dataDirectory, string workingDirectory, int tasks, int count)
    {
        using var server = BenchClient.Start(binary, ["--data-dir", dataDirectory]);
        server.Initialize();
        var (taskId, artifactId) = PlanWithArtifact(server, workingDirectory);
        // A page from the middle of the list costs what the first does (the cursor is a key to seek from), or it would show here.
        var deepCursor = CursorAfterMiddle(server, tasks);

        var samples = new Dictionary<string, List<double>>();
        void Timed(string label, string method, string parameters, Action<JsonElement>? check = null)
        {
            var started = Stopwatch.GetTimestamp();
            var answer = server.Request(method, parameters);
            var elapsed = Stopwatch.GetElapsedTime(started, server.LastAnswerReadAt).TotalMilliseconds;
            if (check is not null)
            {
                using var document = JsonDocument.Parse(answer);
                check(document.RootElement.GetProperty("result"));
            }
            if (!samples.TryGetValue(label, out var list)) samples[label] = list = [];
            list.Add(elapsed);
        }

        var artifactUri = $$"""{"uri":"orchestrator://artifacts/{{artifactId}}"}""";
        // Warm-up (first reads grow the heap and fault pages in), checking that the artifact reads back whole.
        for (var i = 0; i < 20; i++)
            Timed("warm-up", "resources/read", artifactUri, r =>
            {
                if (r.GetProperty("contents")[0].GetProperty("text").GetString()!.Length != ArtifactBytes)
                    throw new InvalidOperationException("the artifact read back is not the one written");
            });
        samples.Remove("warm-up");
        for (var i = 0; i < count; i++)
        {
            Timed("ping (baseline)", "ping", "{}");
            Timed("resources/read (100 KB artifact)", "resources/read", artifactUri);
            Timed("resources/read (task report)", "resources/read", $$"""{"uri":"orchestrator://tasks/{{taskId}}"}""");
            Timed("resources/list (first page)", "resources/list", "{}");
            Timed("resources/list (a page from the middle)", "resources/list", $$"""{"cursor":"{{deepCursor}}"}""");
            Timed("prompts/get (work_next_subtask)", "prompts/get", $$$"""{"name":"work_next_subtask","arguments":{"task_id":"{{{taskId}}}"}}""");
            // Seeded ids are task_seed + 8 hex digits: this prefix names 256 tasks (a person who typed 10 characters of an id);
            // "task_" names every task, the completion's worst case.
            Timed("completion/complete (task_id, 256 match)", "completion/complete",
                """{"ref":{"type":"ref/prompt","name":"work_next_subtask"},"argument":{"name":"task_id","value":"task_seed000123"}}""");
            Timed("completion/complete (task_id, every task matches)", "completion/complete",
                """{"ref":{"type":"ref/prompt","name":"work_next_subtask"},"argument":{"name":"task_id","value":"task_"}}""");
        }
        return samples;
    }

    /// <summary>A task whose first subtask is completed with a 100 KB artifact; its id and the artifact's.</summary>
    private static (string TaskId, string ArtifactId) PlanWithArtifact(BenchClient server, string workingDirectory)
    {
        var directory = JsonLiteral.Of(workingDirectory);
        var session = server.CallToolStructured("orchestrator_initialize_session", $$"""{"working_directory":{{directory}}}""").GetProperty("session_id").GetString();
        var plan = server.CallToolStructured("orchestrator_plan_task", $$"""
            {"session_id":"{{session}}","title":"Resource benchmark","subtasks":[{"key":"a","title":"Design","role":"architect"},
             {"key":"b","title":"Build","role":"implementer","depends_on":["a"]}]}
            """.ReplaceLineEndings(" "));
        var taskId = plan.GetProperty("task").GetProperty("id").GetString()!;
        var design = plan.GetProperty("subtasks")[0].GetProperty("id").GetString()!;
        server.CallTool("orchestrator_execute_subtask", $$"""{"subtask_id":"{{design}}"}""");
        var line = string.Join(' ', Enumerable.Range(0, 20).Select(TaskStoreSeeder.Word)) + "\n";
        // Ends in a full stop: the store keeps detailed work trimmed, and the read-back check compares lengths.
        var work = string.Concat(Enumerable.Repeat(line, ArtifactBytes / line.Length + 1))[..(ArtifactBytes - 1)] + ".";
        var completed = server.CallToolStructured("orchestrator_complete_subtask",
            $$"""{"subtask_id":"{{design}}","summary":"designed","detailed_work":{{JsonLiteral.Of(work)}},"artifact_type":"design"}""");
        return (taskId, completed.GetProperty("artifact_id").GetString()!);
    }

    /// <summary>Walks resources/list page by page, as a client would, to the middle of the list; the cursor there.</summary>
    private static string CursorAfterMiddle(BenchClient server, int tasks)
    {
        string? cursor = null;
        for (var page = 0; page < Math.Max(1, tasks / 2 / 100); page++)
        {
            using var answer = JsonDocument.Parse(server.Request("resources/list", cursor is null ? "{}" : $$"""{"cursor":"{{cursor}}"}"""));
            cursor = answer.RootElement.GetProperty("result").TryGetProperty("nextCursor", out var next) ? next.GetString() : null;
            if (cursor is null) break;
        }
        return cursor ?? throw new InvalidOperationException("resources/list has a single page: seed more tasks (--tasks) for a page from the middle");
    }


    private static string Report(int tasks, int count, Dictionary<string, List<double>> samples)
    {
        var baseline = LatencyStats.Of(samples["ping (baseline)"]).Median;
        return BenchmarkReport.Write("orchestrator bench resources", w =>
        {
            w.WriteNumber("seeded_tasks", tasks);
            w.WriteNumber("iterations", count);
            w.WriteStartObject("requests");
            foreach (var (label, list) in samples)
                LatencyStats.Of(list).Write(w, label, "request sent to the answer line read, over stdio");
            w.WriteEndObject();
            w.WriteStartObject("median_over_ping");
            foreach (var (label, list) in samples)
                if (label != "ping (baseline)") w.WriteNumber(label, Math.Round(LatencyStats.Of(list).Median / baseline, 2));
            w.WriteEndObject();
        });
    }
}
