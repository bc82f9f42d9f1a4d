using System.Diagnostics;
using Orchestrator.Reboot.Contract;
using Orchestrator.Tooling;

namespace Orchestrator.Reboot.Handlers;

internal sealed class TestSleepHandler : IToolHandler<TestSleepArgs, TestSleepResult>
{
    public async ValueTask<ToolOutcome<TestSleepResult>> HandleAsync(TestSleepArgs args, ToolCallContext context, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await Task.Delay(TimeSpan.FromSeconds(args.Seconds), cancellationToken).ConfigureAwait(false);
        return new TestSleepResult { Slept = Stopwatch.GetElapsedTime(started).TotalSeconds };
    }
}
