using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Orchestrator.Benchmarks;

/// <summary>
/// <c>orchestrator bench board [--tasks N] [--count M]</c>: how fast the task board answers a person's browser with N
/// tasks stored (a tenth open, <see cref="TaskStoreSeeder"/>): <c>orchestrator board</c> is started on the seeded data
/// directory and its page, overview, one task and health are each fetched M times on one keep-alive connection, timed
/// from request sent to the whole response read. Prints JSON.
/// </summary>
internal static class BoardBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (SeededBenchmarkOptions.Parse("board", args, tasks: 100_000, count: 50) is not var (tasks, count, output)) return 2;
        var scratch = Directory.CreateTempSubdirectory("orchestrator-bench-board-");
        try
        {
            var dataDirectory = Path.Combine(scratch.FullName, "data");
            TaskStoreSeeder.Seed(dataDirectory, tasks, scratch.FullName);
            var port = FreeLoopbackPort();
            using var board = await StartBoardAsync(dataDirectory, port);
            try
            {
                var samples = await MeasureAsync(port, count);
                var json = Report(tasks, count, samples);
                if (output is not null) await File.WriteAllTextAsync(output, json + "\n");
                Console.Out.WriteLine(json);
                return 0;
            }
            finally
            {
                board.Kill();
                await board.WaitForExitAsync();
            }
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    private static int FreeLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>Starts the board and returns once it says on stderr that it serves.</summary>
    private static async Task<Process> StartBoardAsync(string dataDirectory, int port)
    {
        var info = new ProcessStartInfo(Reboot.ProcessImage.ExecutablePath)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])["board", "--data-dir", dataDirectory, "--listen", $"127.0.0.1:{port}"]) info.ArgumentList.Add(arg);
        var process = Process.Start(info)!;
        while (await process.StandardError.ReadLineAsync() is { } line)
            if (line.Contains("Serving the board", StringComparison.Ordinal)) return process;
        throw new InvalidOperationException($"orchestrator board ended before serving (exit {await ExitCode(process)})");
    }

    private static async Task<int> ExitCode(Process process)
    {
        await process.WaitForExitAsync();
        return process.ExitCode;
    }

    private static async Task<Dictionary<string, List<double>>> MeasureAsync(int port, int count)
    {
        using var client = await RawHttpClient.ConnectAsync(new Uri($"http://127.0.0.1:{port}/board"));
        var overview = await client.GetAsync("/board/api/overview");
        if (overview.Status != 200) throw new InvalidOperationException($"overview answered {overview.Status}");
        var taskId = FirstTaskId(JsonNode.Parse(overview.Body))
            ?? throw new InvalidOperationException("the overview lists no task: seed some (--tasks)");
        var targets = new (string Name, string Path)[]
        {
            ("page", "/board"),
            ("overview", "/board/api/overview"),
            ("task", $"/board/api/task?id={Uri.EscapeDataString(taskId)}"),
            ("health", "/board/api/health"),
        };
        var samples = targets.ToDictionary(t => t.Name, _ => new List<double>(count), StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            foreach (var (name, path) in targets)
            {
                var started = Stopwatch.GetTimestamp();
                var (status, _) = await client.GetAsync(path);
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (status != 200) throw new InvalidOperationException($"{path} answered {status}");
                samples[name].Add(elapsed);
            }
        }
        return samples;
    }

    /// <summary>The first task id anywhere in the overview (its cards are grouped by status).</summary>
    private static string? FirstTaskId(JsonNode? node) => node switch
    {
        JsonObject o when o["id"] is JsonValue id && id.TryGetValue<string>(out var text) && text.StartsWith("task_", StringComparison.Ordinal) => text,
        JsonObject o => o.Select(p => FirstTaskId(p.Value)).FirstOrDefault(v => v is not null),
        JsonArray a => a.Select(FirstTaskId).FirstOrDefault(v => v is not null),
        _ => null,
    };

    private static string Report(int tasks, int count, Dictionary<string, List<double>> samples)
    {
        return BenchmarkReport.Write("orchestrator bench board", w =>
        {
            w.WriteNumber("seeded_tasks", tasks);
            w.WriteNumber("iterations", count);
            w.WriteStartObject("endpoints");
            foreach (var (name, list) in samples)
                LatencyStats.Of(list).Write(w, name, "GET sent to the whole response read, one keep-alive connection");
            w.WriteEndObject();
        });
    }
}
