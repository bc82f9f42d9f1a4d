using System.Diagnostics;
using System.Text.Json;
using Orchestrator.Reboot;

namespace Orchestrator.Benchmarks;

/// <summary>
/// <c>orchestrator bench restart</c>: in one run, on this machine, measures
/// (a) the floor: spawn of this binary in <c>floor-echo</c> mode to its first answered line (exec + NativeAOT runtime start, nothing else),
/// and with <c>--floor-binary</c> the same for a minimal NativeAOT program (bench/Floor), which carries none of the server;
/// (b) restart → ready: the restart call sent → the answer of the next call (a health check probing the store), and
///     restart → answer: the restart call sent → its answer from the new image, on stores seeded with <c>--tasks</c> counts;
/// (c) cold start: spawn of the server to its first <c>tools/list</c> answer (after initialize, as a client does);
/// (d) with <c>--node-reference SCRIPT</c>: spawn of a reference MCP server on Node (the official TypeScript SDK) to its
///     first <c>tools/list</c> answer: what a client otherwise does when a stdio server must restart;
/// then binary size, idle RSS and pipelined <c>tools/call</c> throughput. The measures are interleaved round by round
/// (one floor sample, one restart per store, every fifth round a cold and a Node start), so that a machine whose speed
/// drifts during the run (other work on it) shifts them all alike and the ratios b/a and d/b stay meaningful.
/// Prints JSON; nothing is asserted, the figures are for docs/performance.md and trend lines.
/// </summary>
internal static class RestartBenchmark
{
    public static Task<int> RunAsync(string[] args)
    {
        if (RestartBenchmarkSettings.Parse(args, out var error) is not { } settings)
        {
            Console.Error.WriteLine($"orchestrator bench restart: {error}\n{RestartBenchmarkSettings.Usage}");
            return Task.FromResult(2);
        }
        var binary = ProcessImage.ExecutablePath;
        var scratch = Directory.CreateTempSubdirectory("orchestrator-bench-");
        var servers = new List<(int Tasks, BenchClient Server)>();
        try
        {
            foreach (var tasks in settings.TaskCounts)
            {
                var dataDirectory = Path.Combine(scratch.FullName, $"restarts-{tasks}");
                TaskStoreSeeder.Seed(dataDirectory, tasks, scratch.FullName);
                servers.Add((tasks, StartWarm(binary, dataDirectory)));
            }
            var idleRss = servers.Select(s => s.Server.ResidentKilobytes()).ToArray();
            // Warm the page cache and the first-run paths of each kind of start; not counted.
            Floor(binary);
            if (settings.FloorBinary is { } warmFloor) Floor(warmFloor, []);
            ColdStart(binary, Path.Combine(scratch.FullName, "cold"));
            if (settings.NodeScript is { } warmScript) NodeStart(settings.Node, warmScript);

            var floor = new List<double>();
            var minimalFloor = new List<double>();
            var cold = new List<double>();
            var node = new List<double>();
            var answers = servers.Select(_ => new List<double>()).ToArray();
            var ready = servers.Select(_ => new List<double>()).ToArray();
            for (var round = 0; round < settings.Count; round++)
            {
                floor.Add(Floor(binary));
                if (settings.FloorBinary is { } floorBinary) minimalFloor.Add(Floor(floorBinary, []));
                for (var s = 0; s < servers.Count; s++)
                {
                    var (answer, readyAfter) = Restart(servers[s].Server);
                    answers[s].Add(answer);
                    ready[s].Add(readyAfter);
                }
                if (round % 5 != 0) continue;
                cold.Add(ColdStart(binary, Path.Combine(scratch.FullName, "cold")));
                if (settings.NodeScript is { } script) node.Add(NodeStart(settings.Node, script));
            }
            var pidsUnchanged = servers.All(s => s.Server.IsRunningUnderItsFirstPid());

            var throughput = new List<PipelinedThroughput.Result>();
            if (settings.ThroughputCalls > 0)
            {
                // In memory (dispatch, validation, result writing), then a read of the largest store.
                var server = servers[0].Server;
                throughput.Add(PipelinedThroughput.Measure(server, "orchestrator_restart_status", "{}", settings.ThroughputCalls, 16));
                server = servers[^1].Server;
                throughput.Add(PipelinedThroughput.Measure(server, "orchestrator_query_tasks", """{"limit":5}""", settings.ThroughputCalls, 16));
            }

            var runs = servers.Select((s, i) => new LatencyChart.Point(s.Tasks, LatencyStats.Of(answers[i]), LatencyStats.Of(ready[i]))).ToArray();
            var report = new RestartReport(binary, settings.Count, LatencyStats.Of(floor), LatencyStats.Of(cold),
                node.Count > 0 ? LatencyStats.Of(node) : null, settings.NodeScript, runs, idleRss, pidsUnchanged, throughput)
            {
                MinimalFloor = minimalFloor.Count > 0 ? LatencyStats.Of(minimalFloor) : null,
                MinimalFloorBinary = settings.FloorBinary,
            };
            var (gateFloor, gateFloorName) = report.GateFloor;
            var verdict = settings.Gate.Verdict(runs[0].Ready, gateFloor, gateFloorName);
            var json = report.ToJson(settings.Gate, verdict);
            if (settings.Output is not null) File.WriteAllText(settings.Output, json + "\n");
            if (settings.TrackerOutput is not null)
                File.WriteAllText(settings.TrackerOutput, TrackerJson.ToJson(report, $"load average {RestartReport.LoadAverage()}, {settings.Count} rounds") + "\n");
            if (settings.Chart is not null)
                File.WriteAllText(settings.Chart, LatencyChart.Svg(runs, report.Floor.Median, RestartReport.ReadyTargetMs,
                    $"{settings.Count} restarts per store, {Environment.ProcessorCount} cores, {RestartReport.CpuModel()}, load average {RestartReport.LoadAverage()}, {DateTime.UtcNow:yyyy-MM-dd}"));
            Console.Out.WriteLine(json);
            Console.Error.WriteLine($"orchestrator bench restart: {report.Summary()}");
            if (verdict is null) return Task.FromResult(0);
            // One line for the CI log: which threshold, by how much.
            Console.Error.WriteLine($"orchestrator bench restart: FAILED: {verdict}");
            return Task.FromResult(1);
        }
        finally
        {
            foreach (var (_, server) in servers) server.Dispose();
            scratch.Delete(recursive: true);
        }
    }

    private static BenchClient StartWarm(string binary, string dataDirectory)
    {
        var server = BenchClient.Start(binary, ["--data-dir", dataDirectory]);
        server.Initialize();
        server.CallTool("orchestrator_health_check");
        Restart(server); // the first restart of a server pays for cold caches; not counted
        return server;
    }

    private static (double Answer, double Ready) Restart(BenchClient server)
    {
        var started = Stopwatch.GetTimestamp();
        var answer = server.CallTool("orchestrator_restart_server");
        var answered = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        server.CallTool("orchestrator_health_check");
        var ready = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (!answer.Contains("\"phase\":\"complete\"", StringComparison.Ordinal))
            throw new InvalidOperationException("restart did not complete: " + answer);
        return (answered, ready);
    }

    private static double Floor(string binary) => Floor(binary, ["floor-echo"]);

    private static double Floor(string binary, string[] arguments)
    {
        var started = Stopwatch.GetTimestamp();
        using var echo = BenchClient.Start(binary, arguments);
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

    private static double NodeStart(string node, string script)
    {
        var started = Stopwatch.GetTimestamp();
        using var server = BenchClient.Start(node, [script]);
        server.Initialize();
        var tools = server.Request("tools/list");
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (!tools.Contains("\"tools\":[{", StringComparison.Ordinal)) throw new InvalidOperationException("the Node reference listed no tools: " + tools);
        return elapsed;
    }
}
