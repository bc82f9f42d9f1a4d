using ModelContextProtocol.Protocol;
using Orchestrator.Transport;

namespace Orchestrator.Tests.Unit;

/// <summary>
/// Regression (found by the soak test): the transport marked a request answered before writing its answer, so a
/// graceful restart could see nothing in flight and exec while the answer was still unwritten; it was lost.
/// </summary>
public class RequestTrackerOrderTests
{
    private static readonly RequestId Restart = new("restart");
    private static readonly RequestId Call = new("call");

    [Test]
    public async Task A_request_stays_in_flight_until_its_answer_is_written()
    {
        var tracker = new RequestTracker();
        tracker.Begin(Restart, "tools/call");
        tracker.Begin(Call, "tools/call");
        var drained = tracker.WaitUntilOnlyAsync(Restart, CancellationToken.None);

        var countWhileWriting = -1;
        var drainedWhileWriting = true;
        var answered = tracker.Finish(Call, () =>
        {
            countWhileWriting = tracker.Count;
            drainedWhileWriting = drained.IsCompleted;
        });

        await Assert.That(answered).IsTrue();
        await Assert.That(countWhileWriting).IsEqualTo(2);
        await Assert.That(drainedWhileWriting).IsFalse();
        await drained.WaitAsync(TimeSpan.FromSeconds(30));
        await Assert.That(tracker.Count).IsEqualTo(1);
    }

    [Test]
    public async Task An_answer_given_by_a_non_graceful_restart_is_not_written_again()
    {
        var tracker = new RequestTracker();
        tracker.Begin(Restart, "tools/call");
        tracker.Begin(Call, "tools/call");
        await Assert.That(tracker.TakeOverAllExcept(Restart).Select(t => t.Id)).IsEquivalentTo(new[] { Call });

        var written = false;
        await Assert.That(tracker.Finish(Call, () => written = true)).IsFalse();
        await Assert.That(written).IsFalse();
    }
}
