using Orchestrator.Orchestration;
using Orchestrator.Orchestration.Contract;
using Orchestrator.Tooling;
using static Orchestrator.Tests.Orchestration.Plans;

namespace Orchestrator.Tests.Orchestration;

/// <summary>orchestrator_revise_plan: a stored plan extended, pruned, changed and reordered, all or nothing.</summary>
public class RevisePlanTests
{
    private static ToolOutcome<RevisePlanResult> Revise(OrchestrationStore store, string taskId, IReadOnlyList<PlannedSubtask>? add = null,
        IReadOnlyList<string>? remove = null, IReadOnlyList<SubtaskChange>? change = null, IReadOnlyList<string>? order = null) =>
        store.Tasks.RevisePlan(new RevisePlanArgs { TaskId = taskId, Add = add ?? [], Remove = remove ?? [], Change = change ?? [], Order = order });

    [Test]
    public async Task One_call_adds_removes_changes_and_reorders_and_says_what_changed_and_what_is_ready()
    {
        using var store = new OrchestrationStore();
        var plan = store.Diamond(store.Session());
        store.Finish(plan.Id("design"));
        store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = plan.Id("code") }).Ok();

        var result = Revise(store, plan.Task.Id,
            add: [Step("bench", "tester", plan.Id("code")), Step("docs", "documenter", "design")],
            remove: ["tests"],
            change: [new SubtaskChange { Subtask = "review", Title = "Review code and docs", DependsOn = ["code", "docs"], ReviewRequired = true }],
            order: ["design", "code", "docs", "bench", "review"]).Ok();

        await Assert.That(result.Added.Select(a => a.Key)).IsEquivalentTo(["bench", "docs"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(result.Removed.Select(r => r.Key)).IsEquivalentTo(["tests"]);
        var changed = result.Changed.Single();
        await Assert.That(changed.Key).IsEqualTo("review");
        await Assert.That(changed.Fields).IsEquivalentTo(["title", "review_required", "depends_on"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(result.Reordered).IsTrue();
        // docs depends on the completed design: ready at once. bench waits on code, which is in progress.
        await Assert.That(result.Ready.Select(r => r.Key)).IsEquivalentTo(["docs"]);
        await Assert.That(result.Plan.Select(p => (p.Position, p.Key, string.Join("+", p.DependsOn)))).IsEquivalentTo(
            [(1, "design", ""), (2, "code", "design"), (3, "docs", "design"), (4, "bench", "code"), (5, "review", "code+docs")],
            TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(result.Task.Progress!.Total).IsEqualTo(5);

        var stored = store.Tasks.GetStatus(new GetStatusArgs { TaskId = plan.Task.Id }).Ok().Subtasks!;
        await Assert.That(stored.Select(s => s.Key)).IsEquivalentTo(["design", "code", "docs", "bench", "review"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(stored.Single(s => s.Key == "review").ReviewRequired).IsTrue();
        // The revised plan runs to the end.
        store.Tasks.CompleteSubtask(new CompleteSubtaskArgs { SubtaskId = plan.Id("code"), Summary = "s", DetailedWork = "w" }).Ok();
        foreach (var key in new[] { "docs", "bench" }) store.Finish(stored.Single(s => s.Key == key).Id);
        store.Finish(plan.Id("review"));
        var approved = store.Tasks.ReviewSubtask(new ReviewSubtaskArgs { SubtaskId = plan.Id("review"), Verdict = ReviewVerdict.Approve }).Ok();
        await Assert.That(approved.TaskStatus).IsEqualTo(TaskState.Completed);
    }

    [Test]
    public async Task An_existing_subtask_can_come_to_depend_on_one_added_after_it_in_the_same_call()
    {
        using var store = new OrchestrationStore();
        var plan = store.Diamond(store.Session());
        var result = Revise(store, plan.Task.Id, add: [Step("schema", "architect")],
            change: [new SubtaskChange { Subtask = "code", DependsOn = ["design", "schema"] }]).Ok();
        await Assert.That(result.Plan.Single(p => p.Key == "code").DependsOn).IsEquivalentTo(["design", "schema"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(result.Plan.Select(p => p.Key)).IsEquivalentTo(["design", "code", "tests", "review", "schema"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(result.Ready.Select(r => r.Key)).IsEquivalentTo(["design", "schema"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
    }

    [Test]
    public async Task Removing_a_subtask_others_depend_on_is_refused_naming_them_unless_the_call_rewires_them()
    {
        using var store = new OrchestrationStore();
        var plan = store.Diamond(store.Session());
        var before = store.Dump();
        var refused = Revise(store, plan.Task.Id, remove: ["design"]).Err();
        await Assert.That(refused.Code).IsEqualTo(ErrorCode.InvalidState);
        await Assert.That(refused.Message).IsEqualTo($"Cannot revise the plan of task {plan.Task.Id}: subtask {plan.Id("design")} (\"design\") is a dependency of "
            + "\"code\", \"tests\"; rewire them in this call (change their depends_on) or remove them too");
        await Assert.That(store.Dump()).IsEqualTo(before);

        var rewired = Revise(store, plan.Task.Id, remove: ["design"],
            change: [new SubtaskChange { Subtask = "code", DependsOn = [] }, new SubtaskChange { Subtask = plan.Id("tests"), DependsOn = [] }]).Ok();
        await Assert.That(rewired.Ready.Select(r => r.Key)).IsEquivalentTo(["code", "tests"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(rewired.Plan.Select(p => p.Position)).IsEquivalentTo([1, 2, 3], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        // Removing a dependant together with what it depends on needs no rewiring.
        var chain = Revise(store, plan.Task.Id, remove: ["review", "tests"]).Ok();
        await Assert.That(chain.Plan.Select(p => p.Key)).IsEquivalentTo(["code"]);
    }

    [Test]
    public async Task A_subtask_in_progress_or_completed_keeps_what_it_consumed_but_a_new_dependency_on_it_is_fine()
    {
        using var store = new OrchestrationStore();
        var plan = store.Diamond(store.Session());
        store.Finish(plan.Id("design"));
        store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = plan.Id("code") }).Ok();
        var before = store.Dump();

        var change = Revise(store, plan.Task.Id, change: [new SubtaskChange { Subtask = "code", DependsOn = [] }]).Err();
        await Assert.That(change.Code).IsEqualTo(ErrorCode.InvalidState);
        await Assert.That(change.Message).Contains($"subtask {plan.Id("code")} (\"code\") is in_progress; only a pending, failed, blocked or needs_revision subtask can be changed");
        var remove = Revise(store, plan.Task.Id, remove: ["design"], change: [new SubtaskChange { Subtask = "tests", DependsOn = [] }]).Err();
        await Assert.That(remove.Message).Contains("is completed with a result; only a pending, failed or blocked subtask without a result can be removed")
            .And.Contains("is a dependency of \"code\"");
        await Assert.That(store.Dump()).IsEqualTo(before);

        var dependsOnRunning = Revise(store, plan.Task.Id, add: [Step("bench", "tester", "code", "design")]).Ok();
        await Assert.That(dependsOnRunning.Plan.Single(p => p.Key == "bench").DependsOn).IsEquivalentTo(["design", "code"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        // bench waits on code (in progress); tests was ready before and still is.
        await Assert.That(dependsOnRunning.Ready.Select(r => r.Key)).IsEquivalentTo(["tests"]);
    }

    [Test]
    public async Task Every_bad_part_is_named_at_once_and_nothing_changes()
    {
        using var store = new OrchestrationStore();
        var plan = store.Diamond(store.Session());
        var before = store.Dump();
        var error = Revise(store, plan.Task.Id,
            add: [Step("design", "architect"), Step("new", "wizard", "nope", "removed-one"), new PlannedSubtask { Key = "bad key!", Title = " ", Role = "tester" }],
            remove: ["ghost", "review", "review"],
            change: [new SubtaskChange { Subtask = "tests" }, new SubtaskChange { Subtask = "code", Role = "astronaut", Description = new string('d', Limits.MaxText + 1) }],
            order: ["design", "unknown"]).Err();
        await Assert.That(error.Code).IsEqualTo(ErrorCode.InvalidParameters);
        await Assert.That(error.Details).IsEquivalentTo([
            "remove[0]: unknown subtask \"ghost\" (no subtask of this task has that key or id)",
            "remove[2]: \"review\" is listed twice",
            "change[0]: give at least one field to change",
            $"change[1].description: longer than {Limits.MaxText} characters",
            "change[1].role: unknown role \"astronaut\" (available: architect, implementer, debugger, tester, reviewer, documenter, researcher)",
            $"add[0].key: \"design\" is already the key of subtask {plan.Id("design")}",
            "add[1].role: unknown role \"wizard\" (available: architect, implementer, debugger, tester, reviewer, documenter, researcher)",
            $"add[2].key: \"bad key!\" must match {PlanRules.KeyPattern}",
            "add[2].title: must not be empty",
            "add[1].depends_on[0]: unknown dependency \"nope\" (no subtask has that key or id)",
            "add[1].depends_on[1]: unknown dependency \"removed-one\" (no subtask has that key or id)",
            "order[1]: \"unknown\" is not a subtask the task has after this call",
        ], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(store.Dump()).IsEqualTo(before);
    }

    [Test]
    public async Task A_cycle_is_named_as_a_key_path_and_the_limits_hold()
    {
        using var store = new OrchestrationStore();
        var plan = store.Diamond(store.Session());
        var before = store.Dump();
        var cycle = Revise(store, plan.Task.Id, change: [new SubtaskChange { Subtask = "design", DependsOn = ["review"] }]).Err();
        await Assert.That(cycle.Details).IsEquivalentTo(["depends_on: dependency cycle \"design\" → \"review\" → \"code\" → \"design\""]);
        var tooMany = Revise(store, plan.Task.Id, add: Enumerable.Range(0, Limits.MaxSubtasks - 3).Select(i => Step($"n{i}", "tester")).ToList()).Err();
        await Assert.That(tooMany.Details).IsEquivalentTo([$"add: a task has at most {Limits.MaxSubtasks} subtasks; this revision would leave {Limits.MaxSubtasks + 1}"]);
        var none = Revise(store, plan.Task.Id).Err();
        await Assert.That(none.Details).IsEquivalentTo(["add: give at least one of add, remove, change, order"]);
        var order = Revise(store, plan.Task.Id, order: ["design", "code"]).Err();
        await Assert.That(order.Details).IsEquivalentTo(["order: must list every subtask once; missing \"tests\", \"review\""]);
        await Assert.That(store.Dump()).IsEqualTo(before);
        await Assert.That(Revise(store, "task_nope", order: []).Err().Code).IsEqualTo(ErrorCode.NotFound);
        store.Tasks.CancelTask(new CancelTaskArgs { TaskId = plan.Task.Id }).Ok();
        await Assert.That(Revise(store, plan.Task.Id, add: [Step("x", "tester")]).Err().Message).IsEqualTo($"Task {plan.Task.Id} is cancelled; its plan cannot change");
    }

    [Test]
    public async Task A_failed_subtask_can_be_changed_then_retried_or_removed()
    {
        using var store = new OrchestrationStore();
        var plan = store.Diamond(store.Session());
        store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = plan.Id("design") }).Ok();
        store.Tasks.ReportSubtask(new ReportSubtaskArgs { SubtaskId = plan.Id("design"), Outcome = ReportedOutcome.Failed, Reason = "too broad" }).Ok();
        var narrowed = Revise(store, plan.Task.Id, change: [new SubtaskChange { Subtask = "design", Description = "Only the parser API", EstimatedEffort = "1h" }]).Ok();
        await Assert.That(narrowed.Changed.Single().Fields).IsEquivalentTo(["description", "estimated_effort"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(narrowed.Task.Status).IsEqualTo(TaskState.Failed);
        store.Tasks.ReopenSubtask(new ReopenSubtaskArgs { SubtaskId = plan.Id("design"), Action = ReopenAction.Retry }).Ok();
        await Assert.That(store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = plan.Id("design") }).Ok().Subtask.Description).IsEqualTo("Only the parser API");
    }

    [Test]
    public async Task Added_subtasks_without_keys_get_the_next_free_number_and_a_completed_task_that_gains_work_is_in_progress_again()
    {
        using var store = new OrchestrationStore();
        var plan = store.Plan(store.Session(), new PlannedSubtask { Title = "One", Role = "tester" }, new PlannedSubtask { Title = "Two", Role = "tester" });
        store.Finish(plan.Id("1"));
        await Assert.That(store.Finish(plan.Id("2")).TaskStatus).IsEqualTo(TaskState.Completed);
        var extended = Revise(store, plan.Task.Id, add: [new PlannedSubtask { Title = "Three", Role = "tester", DependsOn = ["2"] }]).Ok();
        await Assert.That(extended.Added.Single().Key).IsEqualTo("3");
        await Assert.That(extended.Task.Status).IsEqualTo(TaskState.InProgress);
        await Assert.That(extended.Ready.Select(r => r.Key)).IsEquivalentTo(["3"]);
    }
}
