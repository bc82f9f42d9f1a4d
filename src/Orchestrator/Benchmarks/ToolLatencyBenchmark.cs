using System.Diagnostics;
using System.Text.Json;

namespace Orchestrator.Benchmarks;

/// <summary>
/// <c>orchestrator bench tools [--tasks N] [--count M]</c>: latency of the main orchestration tools over stdio, each
/// call timed from request sent to answer received, against a store seeded with N tasks. Prints JSON.
/// </summary>
internal static class ToolLatencyBenchmark
{
    public static Task<int> RunAsync(string[] args)
    {
        var tasks = 100_000;
        var count = 200;
        string? output = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--tasks" when i + 1 < args.Length && int.TryParse(args[i + 1], out var n) && n >= 0: tasks = n; i++; break;
                case "--count" when i + 1 < args.Length && int.TryParse(args[i + 1], out var m) && m > 0: count = m; i++; break;
                case "--output" when i + 1 < args.Length: output = args[++i]; break;
                default:
                    Console.Error.WriteLine($"orchestrator bench tools: unexpected '{args[i]}'\nUsage: orchestrator bench tools [--tasks N] [--count M] [--output FILE]");
                    return Task.FromResult(2);
            }
        }
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
        string Timed(string tool, string arguments)
        {
            var started = Stopwatch.GetTimestamp();
            var answer = server.CallTool(tool, arguments);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            using var document = JsonDocument.Parse(answer);
            var result = document.RootElement.GetProperty("result");
            if (result.TryGetProperty("isError", out var isError) && isError.GetBoolean())
                throw new InvalidOperationException($"{tool} failed: {answer}");
            if (!samples.TryGetValue(tool, out var list)) samples[tool] = list = [];
            list.Add(elapsed);
            return result.GetProperty("structuredContent").GetRawText();
        }
        static string Get(string json, params string[] path)
        {
            using var document = JsonDocument.Parse(json);
            var element = document.RootElement;
            foreach (var step in path) element = int.TryParse(step, out var index) ? element[index] : element.GetProperty(step);
            return element.GetString()!;
        }

        var directory = JsonSerializerString(workingDirectory);
        var session = Get(Timed("orchestrator_initialize_session", $$"""{"working_directory":{{directory}}}"""), "session_id");
        for (var i = 0; i < count; i++)
        {
            var plan = Timed("orchestrator_plan_task",
                $$"""{"session_id":"{{session}}","title":"Benchmark task {{i}}","subtasks":[{"key":"a","title":"Design","role":"architect"},{"key":"b","title":"Build","role":"implementer","depends_on":["a"]}]}""");
            var task = Get(plan, "task", "id");
            var first = Get(plan, "subtasks", "0", "id");
            var second = Get(plan, "subtasks", "1", "id");
            Timed("orchestrator_execute_subtask", $$"""{"subtask_id":"{{first}}"}""");
            Timed("orchestrator_complete_subtask", $$"""{"subtask_id":"{{first}}","summary":"done","detailed_work":"the design","file_paths":["a.md"],"artifact_type":"design"}""");
            Timed("orchestrator_get_status", $$"""{"task_id":"{{task}}"}""");
            Timed("orchestrator_query_tasks", """{"status":"in_progress","limit":20}""");
            Timed("orchestrator_update_task", $$"""{"task_id":"{{task}}","description":"updated {{i}}"}""");
            Timed("orchestrator_execute_subtask", $$"""{"subtask_id":"{{second}}"}""");
            Timed("orchestrator_complete_subtask", $$"""{"subtask_id":"{{second}}","summary":"built","detailed_work":"the code","artifact_type":"code"}""");
            Timed("orchestrator_synthesize_results", $$"""{"task_id":"{{task}}"}""");
        }
        return samples;
    }

    private static string JsonSerializerString(string value)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer)) writer.WriteStringValue(value);
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Report(int tasks, int count, double seedSeconds, Dictionary<string, List<double>> samples)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("benchmark", "orchestrator bench tools");
            w.WriteString("timestamp", DateTimeOffset.UtcNow.ToString("O"));
            w.WriteNumber("cores", Environment.ProcessorCount);
            w.WriteNumber("seeded_tasks", tasks);
            w.WriteNumber("seed_seconds", Math.Round(seedSeconds, 2));
            w.WriteNumber("iterations", count);
            w.WriteStartObject("tools");
            foreach (var (tool, list) in samples.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                LatencyStats.Of(list).Write(w, tool, "request sent to answer received over stdio");
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
