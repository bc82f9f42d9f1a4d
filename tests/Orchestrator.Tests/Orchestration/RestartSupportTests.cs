using Orchestrator.Orchestration;
using Orchestrator.Orchestration.Contract;
using Orchestrator.Tooling;
using static Orchestrator.Tests.Orchestration.Plans;

namespace Orchestrator.Tests.Orchestration;

/// <summary>CountSubtasks, SuspendInProgress and Resume, which the restart system calls around a restart.</summary>
public class RestartSupportTests
{
    [Test]
    public async Task Subtasks_in_progress_are_suspended_durably_and_resumed()
    {
        using var store = new OrchestrationStore();
        var session = store.Session();
        var one = store.Plan(session, Step("a", "implementer"), Step("b", "tester"));
        var two = store.Plan(session, Step("a", "debugger"));
        store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = one.Id("a") }).Ok();
        store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = two.Id("a") }).Ok();
        await Assert.That(store.Tasks.CountSubtasks(SubtaskStatus.InProgress)).IsEqualTo(2);
        await Assert.That(store.Tasks.CountSubtasks(SubtaskStatus.Pending)).IsEqualTo(1);

        var suspended = store.Tasks.SuspendInProgress();
        await Assert.That(suspended).IsEquivalentTo(new[] { one.Id("a"), two.Id("a") }.Order(StringComparer.Ordinal), TUnit.Assertions.Enums.CollectionOrdering.Matching);
        store.Reopen(); // as the next process image would
        await Assert.That(store.Tasks.CountSubtasks(SubtaskStatus.Suspended)).IsEqualTo(2);
        await Assert.That(store.Tasks.CountSubtasks(SubtaskStatus.InProgress)).IsEqualTo(0);
        var refused = store.Tasks.CompleteSubtask(new CompleteSubtaskArgs { SubtaskId = one.Id("a"), Summary = "s", DetailedWork = "w" }).Err();
        await Assert.That(refused.Code).IsEqualTo(ErrorCode.InvalidState);
        await Assert.That(refused.Message).Contains("is suspended");

        // An id that is not suspended (here: never was) is skipped, not resumed.
        await Assert.That(store.Tasks.Resume([.. suspended, one.Id("b")])).IsEqualTo(2);
        await Assert.That(store.Tasks.CountSubtasks(SubtaskStatus.InProgress)).IsEqualTo(2);
        await Assert.That(store.Tasks.CountSubtasks(SubtaskStatus.Pending)).IsEqualTo(1);
        store.Tasks.CompleteSubtask(new CompleteSubtaskArgs { SubtaskId = one.Id("a"), Summary = "s", DetailedWork = "w" }).Ok();
        await Assert.That(store.Tasks.Resume(suspended)).IsEqualTo(0);
    }

    [Test]
    public async Task A_suspended_subtask_left_behind_can_be_executed_again()
    {
        using var store = new OrchestrationStore();
        var plan = store.Plan(store.Session(), Step("a", "implementer"));
        store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = plan.Id("a") }).Ok();
        store.Tasks.SuspendInProgress();
        var again = store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = plan.Id("a") }).Ok();
        await Assert.That(again.AlreadyInProgress).IsFalse();
        await Assert.That(again.Subtask.Status).IsEqualTo(SubtaskStatus.InProgress);
    }

    [Test]
    public async Task With_nothing_in_progress_suspending_and_resuming_change_nothing()
    {
        using var store = new OrchestrationStore();
        store.Plan(store.Session(), Step("a", "implementer"));
        var before = store.Dump();
        await Assert.That(store.Tasks.SuspendInProgress()).IsEmpty();
        await Assert.That(store.Tasks.Resume([])).IsEqualTo(0);
        await Assert.That(store.Dump()).IsEqualTo(before);
    }
}
