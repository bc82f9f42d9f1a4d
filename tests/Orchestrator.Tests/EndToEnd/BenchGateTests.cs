using System.Text.Json.Nodes;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>
/// <c>bench restart</c>'s CI gate as CI runs it, on the published binary: a threshold no restart can meet fails with exit
/// status 1 and one line saying why; one every restart meets passes; both write the tracker's list. The thresholds are
/// chosen so that the verdict does not depend on the machine's speed (a restart is never a hundredth of an exec).
/// </summary>
public class BenchGateTests
{
    private static Task<(int Exit, string Out, string Err)> BenchAsync(TempDirectory dir, params string[] gate) =>
        ProcessRun.RunAsync(PublishedBinary.Path,
            ["bench", "restart", "--count", "3", "--tasks", "0", "--throughput-calls", "0", "--tracker-output", Path.Combine(dir.Path, "tracker.json"), .. gate],
            workingDirectory: dir.Path);

    [Test]
    public async Task A_threshold_exceeded_exits_1_with_one_line_and_the_figures_are_still_written()
    {
        using var dir = new TempDirectory();
        var (exit, output, error) = await BenchAsync(dir, "--max-floor-ratio", "0.01");
        await Assert.That(exit).IsEqualTo(1);
        var failure = error.Split('\n').Where(l => l.Contains("FAILED", StringComparison.Ordinal)).ToArray();
        await Assert.That(failure.Length).IsEqualTo(1);
        await Assert.That(failure[0]).StartsWith("orchestrator bench restart: FAILED: restart → ready median ")
            .And.Contains("this binary's floor").And.EndsWith("> --max-floor-ratio 0.01");
        var report = JsonNode.Parse(output)!;
        await Assert.That(report["gate"]!["passed"]!.GetValue<bool>()).IsFalse();
        await Assert.That(report["gate"]!["max_floor_ratio"]!.GetValue<double>()).IsEqualTo(0.01);
        var tracker = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(dir.Path, "tracker.json")))!.AsArray();
        var ready = tracker.Single(e => e!["name"]!.GetValue<string>() == "restart to ready, median")!;
        await Assert.That(ready["unit"]!.GetValue<string>()).IsEqualTo("ms");
        await Assert.That(ready["value"]!.GetValue<double>()).IsEqualTo(report["b_restart_to_ready"]!["median_ms"]!.GetValue<double>());
    }

    [Test]
    public async Task Thresholds_every_restart_meets_exit_0()
    {
        using var dir = new TempDirectory();
        var (exit, output, error) = await BenchAsync(dir, "--max-floor-ratio", "100000", "--max-median", "600000", "--max-p99", "600000");
        await Assert.That(exit).IsEqualTo(0);
        await Assert.That(error).DoesNotContain("FAILED");
        await Assert.That(error).Contains("orchestrator bench restart: restart → ready median ");
        await Assert.That(JsonNode.Parse(output)!["gate"]!["passed"]!.GetValue<bool>()).IsTrue();
        await Assert.That(File.Exists(Path.Combine(dir.Path, "tracker.json"))).IsTrue();
    }

    [Test]
    public async Task A_bad_threshold_exits_2_naming_it_and_measures_nothing()
    {
        using var dir = new TempDirectory();
        var (exit, output, error) = await BenchAsync(dir, "--max-median", "fast");
        await Assert.That(exit).IsEqualTo(2);
        await Assert.That(error).Contains("'--max-median fast' is not valid").And.Contains("Usage:");
        await Assert.That(output).IsEmpty();
        await Assert.That(File.Exists(Path.Combine(dir.Path, "tracker.json"))).IsFalse();
    }
}
