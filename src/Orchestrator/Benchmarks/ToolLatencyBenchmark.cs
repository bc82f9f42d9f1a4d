using System.Diagnostics;
using System.Text.Json;

namespace Orchestrator.Benchmarks;

/// <summary>
/// <c>orchestrator bench tools [--tasks N] [--count M]</c>: latency of every orchestration tool over stdio, each call
/// timed from request sent to answer received, against a store seeded with N tasks (a tenth of them open, see
/// <see cref="TaskStoreSeeder"/>). Each iteration plans a task and works it through failure, retry, revision, review
/// and synthesis, with next, searches (a word in ~1,200 documents, one in ~2 tasks, one in every task), a tag filter and
/// a page of an artifact on the way. Prints JSON.
/// </summary>
internal static class ToolLatencyBenchmark
{
    public static Task<int> RunAsync(string[] args)
    {
        if (SeededBenchmarkOptions.Parse("tools", args, tasks: 100_000, count: 200) is not var (tasks, count, output)) return Task.FromResult(2);
        var scratch = Directory.CreateTempSubdirectory("orchestrator-bench-tools-");
        try
        {
            var dataDirectory = Path.Combine(scratch.FullName, "data");
            var seedStarted = Stopwatch.GetTimestamp();
            TaskStoreSeeder.Seed(dataDirectory, tasks, scratch.FullName);
            var seedSeconds = Stopwatch.GetElapsedTime(seedStarted).TotalSeconds;
            var samples = Measure(Reboot.ProcessImage.ExecutablePath, dataDirectory, scratch.FullName, count);
            var json = Report(tasks, count, seedSeconds, samples);
            if (output is not null) File.WriteAllText(output, json + "\n");
            Console.Out.WriteLine(json);
            return Task.FromResult(0);
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    private static Dictionary<string, List<double>> Measure(string binary, string dataDirectory, string workingDirectory, int count)
    {
        using var server = BenchClient.Start(binary, ["--data-dir", dataDirectory]);
        server.Initialize();
        var samples = new Dictionary<string, List<double>>();
        string Timed(string label, string tool, string arguments)
        {
            // One frame is one line: the arguments written over several lines above are joined first.
            arguments = arguments.ReplaceLineEndings(" ");
            var started = Stopwatch.GetTimestamp();
            var answer = server.CallTool(tool, arguments);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            using var document = JsonDocument.Parse(answer);
            var result = document.RootElement.GetProperty("result");
            if (result.TryGetProperty("isError", out var isError) && isError.GetBoolean())
                throw new InvalidOperationException($"{tool} failed: {answer}");
            if (!samples.TryGetValue(label, out var list)) samples[label] = list = [];
            list.Add(elapsed);
            return result.GetProperty("structuredContent").GetRawText();
        }
        string Call(string tool, string arguments) => Timed(tool, tool, arguments);
        static string Get(string json, params string[] path)
        {
            using var document = JsonDocument.Parse(json);
            var element = document.RootElement;
            foreach (var step in path) element = int.TryParse(step, out var index) ? element[index] : element.GetProperty(step);
            return element.GetString()!;
        }

        var directory = JsonLiteral.Of(workingDirectory);
        var session = Get(Call("orchestrator_initialize_session", $$"""{"working_directory":{{directory}}}"""), "session_id");
        var work = JsonLiteral.Of(string.Join(' ', Enumerable.Range(0, 300).Select(TaskStoreSeeder.Word)));
        var priorities = new[] { "low", "medium", "high", "critical" };
        for (var i = 0; i < count; i++)
        {
            var word = TaskStoreSeeder.Word(i * 7919 % TaskStoreSeeder.VocabularySize);
            var plan = Call("orchestrator_plan_task", $$"""
                {"session_id":"{{session}}","title":"Benchmark task {{i}}: {{word}}","priority":"{{priorities[i % 4]}}","tags":["bench","area-{{i % 50}}"],
                 "subtasks":[{"key":"a","title":"Design","role":"architect"},{"key":"b","title":"Build","role":"implementer","depends_on":["a"],"review_required":true},
                             {"key":"c","title":"Test","role":"tester","depends_on":["b"]}]}
                """);
            var task = Get(plan, "task", "id");
            var (a, b, c) = (Get(plan, "subtasks", "0", "id"), Get(plan, "subtasks", "1", "id"), Get(plan, "subtasks", "2", "id"));
            Call("orchestrator_next_subtasks", $$"""{"session_id":"{{session}}","limit":10}""");
            Call("orchestrator_execute_subtask", $$"""{"subtask_id":"{{a}}"}""");
            Call("orchestrator_report_subtask", $$"""{"subtask_id":"{{a}}","outcome":"failed","reason":"the benchmark says so"}""");
            Call("orchestrator_reopen_subtask", $$"""{"subtask_id":"{{a}}","action":"retry"}""");
            Call("orchestrator_execute_subtask", $$"""{"subtask_id":"{{a}}"}""");
            var artifact = Get(Call("orchestrator_complete_subtask",
                $$"""{"subtask_id":"{{a}}","summary":"done","detailed_work":{{work}},"file_paths":["a.md"],"artifact_type":"design"}"""), "artifact_id");
            var revised = Call("orchestrator_revise_plan", $$"""
                {"task_id":"{{task}}","add":[{"key":"d","title":"Document","role":"documenter","depends_on":["a"]}],
                 "change":[{"subtask":"c","description":"Test it again"}]}
                """);
            var d = Get(revised, "added", "0", "id");
            Call("orchestrator_get_status", $$"""{"task_id":"{{task}}"}""");
            Call("orchestrator_query_tasks", """{"status":"in_progress","limit":20}""");
            Timed("orchestrator_query_tasks (text: a word in ~1,200 documents)", "orchestrator_query_tasks",
                $$"""{"text":"{{TaskStoreSeeder.Word(i * 31 % TaskStoreSeeder.VocabularySize)}}","limit":20}""");
            Timed("orchestrator_query_tasks (text: a word in ~2 tasks)", "orchestrator_query_tasks",
                $$"""{"text":"{{TaskStoreSeeder.Word(TaskStoreSeeder.VocabularySize + i * 211 % TaskStoreSeeder.RareVocabularySize)}}","limit":20}""");
            Timed("orchestrator_query_tasks (tag)", "orchestrator_query_tasks", $$"""{"tags":["area-{{i % 50}}"],"limit":20}""");
            if (i < 20) Timed("orchestrator_query_tasks (text in every task)", "orchestrator_query_tasks", """{"text":"benchmark","limit":20}""");
            Call("orchestrator_update_task", $$"""{"task_id":"{{task}}","description":"updated {{i}}"}""");
            Call("orchestrator_read_text", $$"""{"ref":"{{artifact}}","limit":500}""");
            Call("orchestrator_execute_subtask", $$"""{"subtask_id":"{{b}}"}""");
            Call("orchestrator_complete_subtask", $$"""{"subtask_id":"{{b}}","summary":"built","detailed_work":"the code","artifact_type":"code"}""");
            Call("orchestrator_review_subtask", $$"""{"subtask_id":"{{b}}","verdict":"approve"}""");
            foreach (var subtask in new[] { c, d })
            {
                Call("orchestrator_execute_subtask", $$"""{"subtask_id":"{{subtask}}"}""");
                Call("orchestrator_complete_subtask", $$"""{"subtask_id":"{{subtask}}","summary":"ok","detailed_work":"the result","artifact_type":"test"}""");
            }
            Call("orchestrator_synthesize_results", $$"""{"task_id":"{{task}}"}""");
        }
        return samples;
    }

    private static string Report(int tasks, int count, double seedSeconds, Dictionary<string, List<double>> samples)
    {
        return BenchmarkReport.Write("orchestrator bench tools", w =>
        {
            w.WriteNumber("seeded_tasks", tasks);
            w.WriteNumber("seed_seconds", Math.Round(seedSeconds, 2));
            w.WriteNumber("iterations", count);
            w.WriteStartObject("tools");
            foreach (var (tool, list) in samples.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                LatencyStats.Of(list).Write(w, tool, "request sent to answer received over stdio");
            w.WriteEndObject();
        });
    }
}
