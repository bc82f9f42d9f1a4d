using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Orchestrator.Reboot;

namespace Orchestrator.Benchmarks;

/// <summary>
/// <c>orchestrator bench http</c>: in one run, against this binary serving Streamable HTTP on loopback:
/// (a) throughput and latency of <c>tools/call</c> with N concurrent clients (one keep-alive connection each, MCP
/// sessions), beside the same clients sending <c>ping</c> (the HTTP and SDK stack with no tool work: the baseline);
/// (b) restart over HTTP: the restart call sent → its answer from the new image, and → the next call answered. Restarts
/// follow each other at once (a new image's HTTP host is then never built: its front answers), or, with
/// <c>--restart-pause MS</c>, after a pause that lets each image settle (its host built) first, as a client's restarts do.
/// Prints JSON; nothing is asserted.
/// </summary>
internal static class HttpBenchmark
{
    private const string Usage = "Usage: orchestrator bench http [--clients N] [--seconds S] [--restarts N] [--restart-pause MS] [--output FILE]";
    private const string Tool = "orchestrator_restart_status";

    public static async Task<int> RunAsync(string[] args)
    {
        int clients = 16, seconds = 5, restarts = 30, pauseMs = 0;
        string? output = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--clients" when i + 1 < args.Length && int.TryParse(args[i + 1], out var n) && n > 0: clients = n; i++; break;
                case "--seconds" when i + 1 < args.Length && int.TryParse(args[i + 1], out var s) && s > 0: seconds = s; i++; break;
                case "--restarts" when i + 1 < args.Length && int.TryParse(args[i + 1], out var r) && r >= 0: restarts = r; i++; break;
                case "--restart-pause" when i + 1 < args.Length && int.TryParse(args[i + 1], out var p) && p >= 0: pauseMs = p; i++; break;
                case "--output" when i + 1 < args.Length: output = args[++i]; break;
                default:
                    Console.Error.WriteLine($"orchestrator bench http: unexpected '{args[i]}'\n{Usage}");
                    return 2;
            }
        }

        var scratch = Directory.CreateTempSubdirectory("orchestrator-bench-http-");
        using var server = StartServer(ProcessImage.ExecutablePath, scratch.FullName, out var url);
        try
        {
            var sessions = new List<McpHttpSession>();
            for (var i = 0; i < clients; i++) sessions.Add(await McpHttpSession.OpenAsync(url));
            var ping = await LoadAsync(sessions, "ping", null, seconds);
            var tools = await LoadAsync(sessions, "tools/call", Tool, seconds);
            var (answer, ready) = await RestartsAsync(sessions[0], restarts, pauseMs);
            foreach (var session in sessions) session.Dispose();

            var json = Report(clients, seconds, ping, tools, answer, ready, pauseMs);
            if (output is not null) await File.WriteAllTextAsync(output, json + "\n");
            Console.Out.WriteLine(json);
            return 0;
        }
        finally
        {
            if (!server.HasExited) server.Kill();
            server.WaitForExit();
            scratch.Delete(recursive: true);
        }
    }

    private static Process StartServer(string binary, string dataDirectory, out Uri url)
    {
        var info = new ProcessStartInfo(binary) { RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var arg in new[] { "--http", "127.0.0.1:0", "--data-dir", dataDirectory, "--no-rate-limits" }) info.ArgumentList.Add(arg);
        var process = Process.Start(info)!;
        const string Announcement = "Serving MCP over Streamable HTTP at ";
        while (process.StandardError.ReadLine() is { } line)
        {
            var at = line.IndexOf(Announcement, StringComparison.Ordinal);
            if (at >= 0)
            {
                url = new Uri(line[(at + Announcement.Length)..].Split(' ')[0]);
                // Keep draining stderr so that the server never blocks on a full pipe.
                _ = Task.Run(() => process.StandardError.BaseStream.CopyToAsync(Stream.Null));
                return process;
            }
        }
        throw new InvalidOperationException("the server exited before serving HTTP");
    }

    private sealed record Load(long Calls, double Seconds, LatencyStats Latency)
    {
        public double PerSecond => Calls / Seconds;
    }

    /// <summary>Every client calls back to back for a second of warm-up, then for <paramref name="seconds"/> measured.</summary>
    private static async Task<Load> LoadAsync(IReadOnlyList<McpHttpSession> sessions, string method, string? tool, int seconds)
    {
        var warmUp = Stopwatch.StartNew();
        await Task.WhenAll(sessions.Select(s => Task.Run(async () => { while (warmUp.Elapsed.TotalSeconds < 1) await s.CallAsync(method, tool); })));
        var samples = new List<double>[sessions.Count];
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(sessions.Select((s, i) => Task.Run(async () =>
        {
            var mine = samples[i] = new List<double>(100_000);
            while (clock.Elapsed.TotalSeconds < seconds)
            {
                var start = Stopwatch.GetTimestamp();
                await s.CallAsync(method, tool);
                mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        })));
        var elapsed = clock.Elapsed.TotalSeconds;
        var all = samples.SelectMany(s => s).ToArray();
        return new Load(all.Length, elapsed, LatencyStats.Of(all));
    }

    private static async Task<(LatencyStats Answer, LatencyStats Ready)> RestartsAsync(McpHttpSession session, int count, int pauseMs)
    {
        if (count == 0) return (LatencyStats.Of([0]), LatencyStats.Of([0]));
        var answers = new List<double>();
        var ready = new List<double>();
        for (var i = 0; i < count; i++)
        {
            if (pauseMs > 0) await Task.Delay(pauseMs);
            var start = Stopwatch.GetTimestamp();
            var answer = await session.CallAsync("tools/call", "orchestrator_restart_server", """{"reason":"manual_request"}""");
            answers.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            if (!answer.Contains("\\u0022success\\u0022:true", StringComparison.Ordinal) && !answer.Contains("\\\"success\\\":true", StringComparison.Ordinal))
                throw new InvalidOperationException("restart failed: " + answer);
            await session.CallAsync("tools/call", "orchestrator_health_check");
            ready.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        return (LatencyStats.Of(answers), LatencyStats.Of(ready));
    }

    private static string Report(int clients, int seconds, Load ping, Load tools, LatencyStats answer, LatencyStats ready, int pauseMs)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("machine", $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
            writer.WriteNumber("clients", clients);
            writer.WriteNumber("seconds", seconds);
            WriteLoad(writer, "ping", ping, "ping round trips (HTTP + SDK, no tool): the baseline");
            WriteLoad(writer, "tools_call", tools, $"tools/call {Tool} round trips");
            writer.WriteNumber("tools_call_per_ping", Math.Round(tools.PerSecond / ping.PerSecond, 3));
            writer.WriteNumber("restart_pause_ms", pauseMs);
            answer.Write(writer, "restart_to_answer", "restart call sent over HTTP -> its answer from the new image");
            ready.Write(writer, "restart_to_ready", "restart call sent -> the next call (health check) answered");
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteLoad(Utf8JsonWriter writer, string name, Load load, string description)
    {
        writer.WriteStartObject(name);
        writer.WriteString("measures", description);
        writer.WriteNumber("calls", load.Calls);
        writer.WriteNumber("calls_per_second", Math.Round(load.PerSecond, 1));
        load.Latency.Write(writer, "latency", "per call, as the client saw it");
        writer.WriteEndObject();
    }
}
