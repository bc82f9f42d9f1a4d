using Orchestrator.Orchestration.Contract;
using static Orchestrator.Tests.Orchestration.Plans;

namespace Orchestrator.Tests.Orchestration;

/// <summary>The same calls on two fresh stores (injected clock and ids) leave identical state, refusals included.</summary>
public class DeterminismTests
{
    private static string Run(OrchestrationStore store)
    {
        var session = store.Session();
        var plan = store.Diamond(session);
        store.Finish(plan.Id("design"), "design");
        store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = plan.Id("review") }); // refused: unmet dependencies
        store.Finish(plan.Id("tests"), "tests");
        store.Tasks.UpdateTask(new UpdateTaskArgs { TaskId = plan.Task.Id, Description = "Refined" });
        store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = plan.Id("code") });
        store.Tasks.SuspendInProgress();
        store.Tasks.Resume([plan.Id("code")]);
        store.Tasks.CompleteSubtask(new CompleteSubtaskArgs { SubtaskId = plan.Id("code"), Summary = "s", DetailedWork = "w", FilePaths = ["x"] });
        store.Finish(plan.Id("review"), "review");
        var second = store.Plan(session, Step("a", "researcher"), Step("b", "documenter", "a"));
        store.Finish(second.Id("a"), "research");
        store.Tasks.CancelTask(new CancelTaskArgs { TaskId = second.Task.Id, Reason = "enough" });
        store.Tasks.PlanTask(new PlanTaskArgs { SessionId = session, Title = "cyclic", Subtasks = [Step("a", "tester", "a")] }); // refused
        return store.Dump();
    }

    [Test]
    public async Task Two_fresh_stores_given_the_same_calls_hold_the_same_state()
    {
        using var first = new OrchestrationStore();
        using var second = new OrchestrationStore();
        var a = Run(first);
        var b = Run(second);
        await Assert.That(a).IsEqualTo(b);
        await Assert.That(a).Contains("status=completed").And.Contains("status=cancelled").And.Contains("cancel_reason=enough");
    }
}
