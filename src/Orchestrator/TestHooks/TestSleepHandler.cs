using System.Diagnostics;
using Orchestrator.Tooling;

namespace Orchestrator.TestHooks;

/// <summary><c>orchestrator_test_sleep</c>: stays in flight for the seconds asked, so that draining and restart timeouts meet a real call.</summary>
internal sealed class TestSleepHandler : IToolHandler<TestSleepArgs, TestSleepResult>
{
    public async ValueTask<ToolOutcome<TestSleepResult>> HandleAsync(TestSleepArgs args, ToolCallContext context, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await Task.Delay(TimeSpan.FromSeconds(args.Seconds), cancellationToken).ConfigureAwait(false);
        return new TestSleepResult { Slept = Stopwatch.GetElapsedTime(started).TotalSeconds };
    }
}
