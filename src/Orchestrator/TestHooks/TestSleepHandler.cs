using System.Diagnostics;
using Orchestrator.Tooling;

namespace Orchestrator.TestHooks;

/// <summary><c>orchestrator_test_sleep</c>: stays in flight for the seconds asked, so that draining and restart timeouts meet a real call.</summary>
internal sealed class TestSleepHandler : IToolHandler<TestSleepArgs, TestSleepResult>
{
    public async ValueTask<ToolOutcome<TestSleepResult>> HandleAsync(TestSleepArgs args, ToolCallContext context, CancellationToken cancellationToken)
    {
        var wanted = TimeSpan.FromSeconds(args.Seconds);
        var started = Stopwatch.GetTimestamp();
        // A timer may fire a millisecond early by the stopwatch's clock (CI saw 2.9989 s for 3): wait out the rest, so that
        // the call is never shorter than asked.
        while (Stopwatch.GetElapsedTime(started) is var elapsed && elapsed < wanted)
            await Task.Delay(wanted - elapsed + TimeSpan.FromMilliseconds(1), cancellationToken).ConfigureAwait(false);
        return new TestSleepResult { Slept = Stopwatch.GetElapsedTime(started).TotalSeconds };
    }
}
