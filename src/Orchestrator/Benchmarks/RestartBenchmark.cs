using System.Diagnostics;
using System.Text.Json;
using Orchestrator.Reboot;

namespace Orchestrator.Benchmarks;

/// <summary>
/// <c>orchestrator bench restart</c>: in one run, on this machine, measures
/// (a) the floor: spawn of this binary in <c>floor-echo</c> mode to its first answered line (exec + runtime start, nothing else);
/// (b) cold start: spawn of the server to its first <c>tools/list</c> answer (after initialize, as a client does);
/// (c) restart → answer: the restart call sent → its answer received from the new image;
/// (d) restart → ready: the restart call sent → the answer of the next call (a health check probing the store).
/// With <c>--tasks 0,10000,100000</c>, (c) and (d) are repeated on stores seeded with that many tasks.
/// Prints JSON; nothing is asserted, the figures are for README/docs and CI trend lines.
/// </summary>
internal static class RestartBenchmark
{
    public static Task<int> RunAsync(string[] args)
    {
        var count = 100;
        string? output = null;
        int[] taskCounts = [0];
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--count" when i + 1 < args.Length && int.TryParse(args[i + 1], out var n) && n > 0: count = n; i++; break;
                case "--output" when i + 1 < args.Length: output = args[++i]; break;
                case "--tasks" when i + 1 < args.Length && TryParseCounts(args[i + 1], out var counts): taskCounts = counts; i++; break;
                default:
                    Console.Error.WriteLine($"orchestrator bench restart: unexpected '{args[i]}'\nUsage: orchestrator bench restart [--count N] [--tasks N[,N…]] [--output FILE]");
                    return Task.FromResult(2);
            }
        }
        var binary = ProcessImage.ExecutablePath;
        var scratch = Directory.CreateTempSubdirectory("orchestrator-bench-");
        try
        {
            var floor = Measure(count, () => Floor(binary));
            var cold = Measure(Math.Max(10, count / 5), () => ColdStart(binary, Path.Combine(scratch.FullName, "cold")));
            var runs = taskCounts.Select(tasks =>
            {
                var dataDirectory = Path.Combine(scratch.FullName, $"restarts-{tasks}");
                TaskStoreSeeder.Seed(dataDirectory, tasks, scratch.FullName);
                return (Tasks: tasks, Result: Restarts(binary, dataDirectory, count));
            }).ToArray();
            var json = Report(binary, count, floor, cold, runs);
            if (output is not null) File.WriteAllText(output, json + "\n");
            Console.Out.WriteLine(json);
            return Task.FromResult(0);
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    private static LatencyStats Measure(int runs, Func<double> once)
    {
        once(); // warm the page cache; not counted
        var samples = new List<double>(runs);
        for (var i = 0; i < runs; i++) samples.Add(once());
        return LatencyStats.Of(samples);
    }

    private static double Floor(string binary)
    {
        var started = Stopwatch.GetTimestamp();
        using var echo = BenchClient.Start(binary, ["floor-echo"]);
        echo.WriteLine("{}");
        echo.ReadLine();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static double ColdStart(string binary, string dataDirectory)
    {
        var started = Stopwatch.GetTimestamp();
        using var server = BenchClient.Start(binary, ["--data-dir", dataDirectory]);
        server.Initialize();
        server.Request("tools/list");
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static bool TryParseCounts(string text, out int[] counts)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        counts = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], out counts[i]) || counts[i] < 0) return false;
        return counts.Length > 0;
    }

    private static (LatencyStats Answer, LatencyStats Ready, long IdleRssKb, bool SamePid) Restarts(string binary, string dataDirectory, int count)
    {
        using var server = BenchClient.Start(binary, ["--data-dir", dataDirectory]);
        server.Initialize();
        server.CallTool("orchestrator_health_check");
        var idleRss = server.ResidentKilobytes();
        server.CallTool("orchestrator_restart_server"); // warm-up restart, not counted
        var answers = new List<double>(count);
        var ready = new List<double>(count);
        var pid = server.Pid;
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var answer = server.CallTool("orchestrator_restart_server");
            answers.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            server.CallTool("orchestrator_health_check");
            ready.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (!answer.Contains("\"phase\":\"complete\"", StringComparison.Ordinal))
                throw new InvalidOperationException("restart did not complete: " + answer);
        }
        var samePid = File.Exists($"/proc/{pid}/status") && server.Pid == pid;
        return (LatencyStats.Of(answers), LatencyStats.Of(ready), idleRss, samePid);
    }

    private static string Report(string binary, int count, LatencyStats floor, LatencyStats cold,
        (int Tasks, (LatencyStats Answer, LatencyStats Ready, long IdleRssKb, bool SamePid) Result)[] runs)
    {
        var (answer, ready, idleRssKb, samePid) = runs[0].Result;
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("benchmark", "orchestrator bench restart");
            w.WriteString("timestamp", DateTimeOffset.UtcNow.ToString("O"));
            w.WriteStartObject("machine");
            w.WriteNumber("cores", Environment.ProcessorCount);
            w.WriteString("cpu", CpuModel());
            w.WriteString("os", System.Runtime.InteropServices.RuntimeInformation.OSDescription);
            w.WriteEndObject();
            w.WriteString("binary", binary);
            w.WriteNumber("binary_bytes", new FileInfo(binary).Length);
            w.WriteNumber("idle_rss_kb", idleRssKb);
            w.WriteNumber("restarts", count);
            w.WriteBoolean("pid_unchanged", samePid);
            floor.Write(w, "floor_exec", "spawn of this binary in floor-echo mode to its first answered line (exec + NativeAOT runtime start)");
            cold.Write(w, "cold_start_tools_list", "spawn of the server to its first tools/list answer, after initialize");
            answer.Write(w, "restart_to_answer", "orchestrator_restart_server sent to its answer from the new process image");
            ready.Write(w, "restart_to_ready", "orchestrator_restart_server sent to the answer of the next call (health check probing the store)");
            w.WriteStartArray("by_task_count");
            foreach (var (tasks, result) in runs)
            {
                w.WriteStartObject();
                w.WriteNumber("tasks", tasks);
                w.WriteNumber("idle_rss_kb", result.IdleRssKb);
                w.WriteBoolean("pid_unchanged", result.SamePid);
                result.Answer.Write(w, "restart_to_answer", "as above, with this many tasks in the store");
                result.Ready.Write(w, "restart_to_ready", "as above, with this many tasks in the store");
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartObject("ratios");
            w.WriteNumber("restart_ready_over_floor", Math.Round(ready.Median / floor.Median, 2));
            w.WriteNumber("cold_start_over_restart_ready", Math.Round(cold.Median / ready.Median, 2));
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? "unknown" : line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
