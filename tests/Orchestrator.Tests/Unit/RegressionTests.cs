using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using Orchestrator.Hosting;
using Orchestrator.Transport;

namespace Orchestrator.Tests.Unit;

/// <summary>Regressions for defects found by the unit-test pass: each failed before its fix.</summary>
public class RegressionTests
{
    [Test]
    [Arguments("42")]
    [Arguments("-1")]
    [Arguments("trace,debug")]
    public async Task Numeric_or_combined_log_levels_are_refused(string level)
    {
        await Assert.That(() => CommandLine.Parse(["--log-level", level], _ => null)).Throws<CommandLineException>();
    }

    [Test]
    public async Task A_named_log_level_is_accepted_case_insensitively()
    {
        var parsed = CommandLine.Parse(["--log-level", "Warning"], _ => null);
        await Assert.That(parsed.Options!.LogLevel).IsEqualTo(LogLevel.Warning);
    }

    [Test]
    public async Task Taking_over_requests_wakes_a_drain_waiting_on_them()
    {
        var tracker = new RequestTracker();
        tracker.Begin(new RequestId(1), "tools/call");
        tracker.Begin(new RequestId(2), "tools/call");
        var drained = tracker.WaitUntilOnlyAsync(new RequestId(1), CancellationToken.None);
        await Assert.That(drained.IsCompleted).IsFalse();
        tracker.TakeOverAllExcept(new RequestId(1));
        await drained.WaitAsync(TimeSpan.FromSeconds(30));
        await Assert.That(drained.IsCompletedSuccessfully).IsTrue();
        await Assert.That(tracker.Complete(new RequestId(2))).IsFalse();
    }
}
