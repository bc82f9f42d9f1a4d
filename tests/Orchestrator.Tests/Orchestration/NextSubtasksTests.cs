using Orchestrator.Orchestration;
using Orchestrator.Orchestration.Contract;
using Orchestrator.Tooling;
using static Orchestrator.Tests.Orchestration.Plans;

namespace Orchestrator.Tests.Orchestration;

/// <summary>orchestrator_next_subtasks: ready work across tasks, ranked by priority, then what it unblocks, then age.</summary>
public class NextSubtasksTests
{
    private static PlanTaskResult Plan(OrchestrationStore store, string session, string title, Priority priority, params PlannedSubtask[] steps) =>
        store.Tasks.PlanTask(new PlanTaskArgs { SessionId = session, Title = title, Priority = priority, Subtasks = steps }).Ok();

    [Test]
    public async Task Ready_subtasks_are_ranked_by_priority_then_by_what_they_unblock_then_by_age_each_with_its_reason()
    {
        using var store = new OrchestrationStore();
        var session = store.Session();
        var low = Plan(store, session, "Low", Priority.Low, Step("a", "tester"));
        var fan = Plan(store, session, "Fan", Priority.High, Step("root", "architect"), Step("x", "tester", "root"), Step("y", "tester", "root"), Step("lone", "tester"));
        var critical = Plan(store, session, "Critical", Priority.Critical, Step("fix", "debugger"), Step("after", "tester", "fix"));
        var older = Plan(store, session, "Older high", Priority.High, Step("solo", "researcher"));

        var next = store.Tasks.NextSubtasks(new NextSubtasksArgs { SessionId = session }).Ok();
        // critical first; among high: root unblocks two, then lone and solo (both unblock none) by age; low last.
        await Assert.That(next.Subtasks.Select(r => (r.Rank, r.Subtask.Key, r.Unblocks))).IsEquivalentTo(
            [(1, "fix", 1), (2, "root", 2), (3, "lone", 0), (4, "solo", 0), (5, "a", 0)], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(next.HasMore).IsFalse();
        var root = next.Subtasks[1];
        await Assert.That(root.TaskId).IsEqualTo(fan.Task.Id);
        await Assert.That(root.TaskTitle).IsEqualTo("Fan");
        await Assert.That(root.Priority).IsEqualTo(Priority.High);
        await Assert.That(root.Reason).StartsWith("priority high; 2 subtask(s) wait on it (\"x\", \"y\"); planned ");
        await Assert.That(next.Subtasks[2].Reason).StartsWith("priority high; no subtask waits on it; planned ");

        var two = store.Tasks.NextSubtasks(new NextSubtasksArgs { Limit = 2 }).Ok();
        await Assert.That(two.Subtasks.Select(r => r.Subtask.Key)).IsEquivalentTo(["fix", "root"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(two.HasMore).IsTrue();
        var testers = store.Tasks.NextSubtasks(new NextSubtasksArgs { Role = "tester" }).Ok();
        await Assert.That(testers.Subtasks.Select(r => r.Subtask.Key)).IsEquivalentTo(["lone", "a"], TUnit.Assertions.Enums.CollectionOrdering.Matching);

        // Completing root makes x and y ready; raising the low task's priority moves it up.
        store.Finish(fan.Id("root"));
        store.Tasks.UpdateTask(new UpdateTaskArgs { TaskId = low.Task.Id, Priority = Priority.Critical }).Ok();
        var after = store.Tasks.NextSubtasks(new NextSubtasksArgs { SessionId = session }).Ok();
        await Assert.That(after.Subtasks.Select(r => r.Subtask.Key)).IsEquivalentTo(["fix", "a", "x", "y", "lone", "solo"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        _ = critical;
        _ = older;
    }

    [Test]
    public async Task Only_ready_work_of_open_tasks_is_listed_and_reviews_waiting_are_counted()
    {
        using var store = new OrchestrationStore();
        var session = store.Session();
        var plan = store.Tasks.PlanTask(new PlanTaskArgs
        {
            SessionId = session, Title = "Gated", Subtasks = [Step("a", "tester") with { ReviewRequired = true }, Step("b", "tester", "a"), Step("c", "tester")],
        }).Ok();
        var cancelled = store.Plan(session, Step("gone", "tester"));
        store.Tasks.CancelTask(new CancelTaskArgs { TaskId = cancelled.Task.Id }).Ok();
        store.Finish(plan.Id("a"));
        store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = plan.Id("c") }).Ok();
        var next = store.Tasks.NextSubtasks(new NextSubtasksArgs { SessionId = session }).Ok();
        await Assert.That(next.Subtasks).IsEmpty();
        await Assert.That(next.AwaitingReview).IsEqualTo(1);

        store.Tasks.ReportSubtask(new ReportSubtaskArgs { SubtaskId = plan.Id("c"), Outcome = ReportedOutcome.NeedsRevision, Reason = "redo" }).Ok();
        var revised = store.Tasks.NextSubtasks(new NextSubtasksArgs()).Ok();
        await Assert.That(revised.Subtasks.Single().Subtask.Key).IsEqualTo("c");
        await Assert.That(revised.Subtasks.Single().Reason).EndsWith("; to be done again (see its revision notes)");
    }

    [Test]
    public async Task Sessions_are_kept_apart_and_an_unknown_session_is_not_found()
    {
        using var store = new OrchestrationStore();
        var first = store.Session();
        var otherDirectory = Path.Combine(store.WorkingDirectory, "other");
        Directory.CreateDirectory(otherDirectory);
        var second = store.Tasks.InitializeSession(new InitializeSessionArgs { WorkingDirectory = otherDirectory }).Ok().SessionId;
        store.Plan(first, Step("mine", "tester"));
        store.Plan(second, Step("theirs", "tester"));
        await Assert.That(store.Tasks.NextSubtasks(new NextSubtasksArgs { SessionId = second }).Ok().Subtasks.Single().Subtask.Key).IsEqualTo("theirs");
        await Assert.That(store.Tasks.NextSubtasks(new NextSubtasksArgs()).Ok().Subtasks.Count).IsEqualTo(2);
        await Assert.That(store.Tasks.NextSubtasks(new NextSubtasksArgs { SessionId = "sess_nope" }).Err().Code).IsEqualTo(ErrorCode.NotFound);
    }
}
