using System.Text.Json.Nodes;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>
/// <c>bench resources</c> on the published binary, small: it seeds, plans a task with a 100 KB artifact (read back and
/// checked), measures every request kind the given number of times beside its ping baseline, and reports each as a ratio
/// to it; its seeded store is private like the server's (no warning). Figures are not judged here: docs/performance.md
/// records them.
/// </summary>
public class ResourceBenchmarkTests
{
    [Test]
    public async Task Bench_resources_measures_every_request_kind_beside_its_ping_baseline()
    {
        using var dir = new TempDirectory();
        var (exit, output, error) = await ProcessRun.RunAsync(PublishedBinary.Path, ["bench", "resources", "--tasks", "400", "--count", "3"], workingDirectory: dir.Path);
        await Assert.That(exit).IsEqualTo(0).Because(error);
        await Assert.That(error).DoesNotContain("Other users can get at this server's data");

        var report = JsonNode.Parse(output)!;
        await Assert.That(report["seeded_tasks"]!.GetValue<int>()).IsEqualTo(400);
        var requests = report["requests"]!.AsObject();
        await Assert.That(requests.Select(r => r.Key)).IsEquivalentTo(new[]
        {
            "ping (baseline)", "resources/read (100 KB artifact)", "resources/read (task report)", "resources/list (first page)",
            "resources/list (a page from the middle)", "prompts/get (work_next_subtask)",
            "completion/complete (task_id, 256 match)", "completion/complete (task_id, every task matches)",
        });
        foreach (var (_, stats) in requests)
        {
            await Assert.That(stats!["count"]!.GetValue<int>()).IsEqualTo(3);
            await Assert.That(stats["median_ms"]!.GetValue<double>()).IsGreaterThan(0);
        }
        var ratios = report["median_over_ping"]!.AsObject();
        await Assert.That(ratios.Count).IsEqualTo(7);
        await Assert.That(ratios.All(r => r.Value!.GetValue<double>() > 0)).IsTrue();
    }
}
