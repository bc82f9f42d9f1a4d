using Orchestrator.Orchestration;
using Orchestrator.Orchestration.Contract;
using Orchestrator.Storage;
using Orchestrator.Tests.Unit;
using Orchestrator.Tooling;
using static Orchestrator.Tests.Orchestration.Plans;

namespace Orchestrator.Tests.Orchestration;

/// <summary>orchestrator_task_history: every change of a task or subtask recorded in its transaction, who made it, through which tool.</summary>
public class HistoryTests
{
    // Two clients, each known by its name: the actor its changes record.
    private static readonly TaskCaller Alice = new("alice");
    private static readonly TaskCaller Bob = new("cursor");

    /// <summary>One row as text: subtask (or task), event, from → to, actor, tool.</summary>
    private static string Row(HistoryItem h) => $"{h.SubtaskId ?? "task"} {h.Event} {h.From ?? "-"}>{h.To ?? "-"} {h.Actor} {h.Tool}";

    private static string Field(FieldChangeItem c) => $"{c.Field}: {c.From ?? "-"} > {c.To ?? "-"}";

    private static List<HistoryItem> All(OrchestrationStore store, string taskId, string? subtaskId = null) =>
        store.Tasks.TaskHistory(new TaskHistoryArgs { TaskId = taskId, SubtaskId = subtaskId, Limit = 200 }).Ok().Entries.ToList();

    [Test]
    public async Task Each_move_is_recorded_newest_first_with_its_actor_tool_statuses_and_fields()
    {
        using var store = new OrchestrationStore();
        var session = store.Session();
        var plan = store.Tasks.PlanTask(new PlanTaskArgs { SessionId = session, Title = "T", Subtasks = [Step("a", "implementer")] }, Alice).Ok();
        var a = plan.Id("a");
        store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = a }, Bob).Ok();
        store.Tasks.CompleteSubtask(new CompleteSubtaskArgs
        {
            SubtaskId = a, Summary = "did it", DetailedWork = "w", FilePaths = ["x.cs", "y.cs"], ArtifactType = ArtifactType.Code,
        }, Bob).Ok();

        var history = All(store, plan.Task.Id);
        await Assert.That(history.Select(Row).ToArray()).IsEquivalentTo(new[]
        {
            "task StatusChanged in_progress>completed cursor orchestrator_complete_subtask",
            $"{a} StatusChanged in_progress>completed cursor orchestrator_complete_subtask",
            "task StatusChanged planned>in_progress cursor orchestrator_execute_subtask",
            $"{a} StatusChanged pending>in_progress cursor orchestrator_execute_subtask",
            $"{a} Created ->pending alice orchestrator_plan_task",
            "task Created ->planned alice orchestrator_plan_task",
        }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        var completed = history[1];
        await Assert.That(completed.Changes!.Select(Field).ToArray()).IsEquivalentTo(new[]
        {
            "result_summary: - > did it", "file_paths: - > x.cs, y.cs", "artifact_type: - > code",
        }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        // Times are the changes' own, newest first.
        await Assert.That(history.Select(h => h.At)).IsOrderedByDescending(t => t);
        // The subtask's own history.
        await Assert.That(All(store, plan.Task.Id, a).Select(h => h.To!).ToArray()).IsEquivalentTo(new[] { "completed", "in_progress", "pending" },
            TUnit.Assertions.Enums.CollectionOrdering.Matching);
    }

    [Test]
    public async Task Pages_follow_one_another_without_gaps_or_repeats()
    {
        using var store = new OrchestrationStore();
        var session = store.Session();
        var plan = store.Plan(session, Step("a", "implementer"), Step("b", "tester", "a"), Step("c", "reviewer", "b"));
        foreach (var key in new[] { "a", "b", "c" }) store.Finish(plan.Id(key));
        var whole = All(store, plan.Task.Id);
        var paged = new List<HistoryItem>();
        int? offset = 0;
        while (offset is { } at)
        {
            var page = store.Tasks.TaskHistory(new TaskHistoryArgs { TaskId = plan.Task.Id, Offset = at, Limit = 4 }).Ok();
            await Assert.That(page.Total).IsEqualTo(whole.Count);
            paged.AddRange(page.Entries);
            offset = page.NextOffset;
            await Assert.That(page.HasMore).IsEqualTo(offset is not null);
        }
        await Assert.That(paged).IsEquivalentTo(whole, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(whole.Count).IsEqualTo(4 + 3 * 2 + 2); // 4 created, 3 × (execute, complete), task planned → in_progress → completed
    }

    [Test]
    public async Task Updates_record_old_and_new_values_bounded_in_length()
    {
        using var store = new OrchestrationStore();
        var session = store.Session();
        var plan = store.Plan(session, Step("a", "implementer"));
        var longText = new string('d', 5_000);
        store.Tasks.UpdateTask(new UpdateTaskArgs { TaskId = plan.Task.Id, Description = longText, Priority = Priority.High, Tags = ["api", "db"] }, Alice).Ok();
        store.Tasks.UpdateTask(new UpdateTaskArgs { TaskId = plan.Task.Id, Priority = Priority.High }, Alice).Ok(); // no change: nothing recorded

        var edit = All(store, plan.Task.Id)[0];
        await Assert.That(edit.Event).IsEqualTo(HistoryEvent.Edited);
        await Assert.That((edit.From, edit.To, edit.Tool)).IsEqualTo(("planned", "planned", "orchestrator_update_task"));
        await Assert.That(edit.Changes!.Select(c => c.Field).ToArray()).IsEquivalentTo(new[] { "description", "priority", "tags" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        var description = edit.Changes!.Single(c => c.Field == "description");
        await Assert.That(description.From).IsEqualTo("The goal in detail");
        await Assert.That(description.To!.Length).IsEqualTo(ChangeRecorder.MaxValue);
        await Assert.That(description.To).IsEqualTo(new string('d', ChangeRecorder.MaxValue - 1) + "…");
        await Assert.That(edit.Changes!.Single(c => c.Field == "priority")).IsEqualTo(new FieldChangeItem { Field = "priority", From = "medium", To = "high" });
        await Assert.That(edit.Changes!.Single(c => c.Field == "tags")).IsEqualTo(new FieldChangeItem { Field = "tags", From = null, To = "api, db" });
        await Assert.That(All(store, plan.Task.Id).Count).IsEqualTo(3);
    }

    [Test]
    public async Task Revisions_reports_reopens_reviews_and_cancels_are_recorded_and_a_removed_subtask_keeps_its_history()
    {
        using var store = new OrchestrationStore();
        var session = store.Session();
        var plan = store.Plan(session, Step("a", "implementer"), Step("b", "tester", "a"), Step("gone", "documenter"));
        var (a, b, gone) = (plan.Id("a"), plan.Id("b"), plan.Id("gone"));
        var revised = store.Tasks.RevisePlan(new RevisePlanArgs
        {
            TaskId = plan.Task.Id, Remove = ["gone"], Add = [Step("c", "reviewer", "b") with { ReviewRequired = true }],
            Change = [new SubtaskChange { Subtask = "b", Title = "Test it well" }],
        }, Alice).Ok();
        var c = revised.Added.Single().Id;
        store.Finish(a);
        store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = b }, Bob).Ok(); // Bob holds it: only he may report it while his lease runs
        store.Tasks.ReportSubtask(new ReportSubtaskArgs { SubtaskId = b, Outcome = ReportedOutcome.Blocked, Reason = "no fixtures" }, Bob).Ok();
        store.Tasks.ReopenSubtask(new ReopenSubtaskArgs { SubtaskId = b, Action = ReopenAction.Unblock }, Bob).Ok();
        store.Finish(b);
        store.Finish(c);
        store.Tasks.ReviewSubtask(new ReviewSubtaskArgs { SubtaskId = c, Verdict = ReviewVerdict.Revise, Notes = "more cases" }, Alice).Ok();
        store.Tasks.ReopenSubtask(new ReopenSubtaskArgs { SubtaskId = a, Action = ReopenAction.Reopen, Note = "redo" }, Alice).Ok();
        store.Tasks.CancelTask(new CancelTaskArgs { TaskId = plan.Task.Id, Reason = "dropped" }, Bob).Ok();

        var removed = All(store, plan.Task.Id, gone);
        await Assert.That(removed.Select(Row).ToArray()).IsEquivalentTo(new[]
        {
            $"{gone} Removed pending>- alice orchestrator_revise_plan", $"{gone} Created ->pending unnamed client orchestrator_plan_task",
        }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        var bHistory = All(store, plan.Task.Id, b);
        var edited = bHistory.Single(h => h.Event == HistoryEvent.Edited && h.Tool == "orchestrator_revise_plan");
        await Assert.That(edited.Changes!.Single(f => f.Field == "title")).IsEqualTo(new FieldChangeItem { Field = "title", From = "Step b", To = "Test it well" });
        var blocked = bHistory.Single(h => h.To == "blocked");
        await Assert.That((blocked.From, blocked.Actor, blocked.Tool)).IsEqualTo(("in_progress", "cursor", "orchestrator_report_subtask"));
        await Assert.That(blocked.Changes!.Single(f => f.Field == "status_reason").To).IsEqualTo("no fixtures");
        await Assert.That(bHistory.Any(h => (h.From, h.To, h.Tool) == ("blocked", "pending", "orchestrator_reopen_subtask"))).IsTrue();
        // Reopening a completed subtask flags its dependant that consumed it: a field change of the dependant, by the same call.
        await Assert.That(bHistory[0].Changes!.Single().Field).IsEqualTo("stale_inputs");
        await Assert.That((bHistory[0].Tool, bHistory[0].Actor)).IsEqualTo(("orchestrator_reopen_subtask", "alice"));
        var sentBack = All(store, plan.Task.Id, c).Single(h => h.Tool == "orchestrator_review_subtask");
        await Assert.That((sentBack.From, sentBack.To)).IsEqualTo(("needs_review", "needs_revision"));
        var cancel = All(store, plan.Task.Id)[0];
        await Assert.That((cancel.SubtaskId, cancel.From, cancel.To, cancel.Tool)).IsEqualTo(((string?)null, "in_progress", "cancelled", "orchestrator_cancel_task"));
        await Assert.That(cancel.Changes!.Single()).IsEqualTo(new FieldChangeItem { Field = "cancel_reason", From = null, To = "dropped" });
    }

    [Test]
    public async Task The_latest_recorded_status_of_each_task_and_subtask_is_its_status()
    {
        using var store = new OrchestrationStore();
        var session = store.Session();
        var plan = store.Diamond(session);
        store.Finish(plan.Id("design"));
        store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = plan.Id("code") }).Ok();
        store.Tasks.ReportSubtask(new ReportSubtaskArgs { SubtaskId = plan.Id("code"), Outcome = ReportedOutcome.Failed, Reason = "broke" }).Ok();
        store.Tasks.ReopenSubtask(new ReopenSubtaskArgs { SubtaskId = plan.Id("code"), Action = ReopenAction.Retry }).Ok();
        store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = plan.Id("tests") }).Ok();
        store.Tasks.SuspendInProgress();
        store.Reopen();
        store.Tasks.Resume([plan.Id("tests")]);

        var history = All(store, plan.Task.Id);
        var status = store.Tasks.GetStatus(new GetStatusArgs { TaskId = plan.Task.Id }).Ok();
        await Assert.That(history.First(h => h.SubtaskId is null).To).IsEqualTo(OrchestrationMapper.ToDb(status.Tasks[0].Status));
        foreach (var subtask in status.Subtasks!)
        {
            var mine = history.Where(h => h.SubtaskId == subtask.Id).ToList();
            await Assert.That(mine[0].To).IsEqualTo(OrchestrationMapper.ToDb(subtask.Status));
            // Each row starts where the one before it ended: no move went unrecorded.
            for (var i = 0; i + 1 < mine.Count; i++) await Assert.That(mine[i].From).IsEqualTo(mine[i + 1].To);
        }
    }

    [Test]
    public async Task A_restart_suspension_and_resumption_are_recorded_as_the_server()
    {
        using var store = new OrchestrationStore();
        var session = store.Session();
        var plan = store.Plan(session, Step("a", "implementer"));
        store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = plan.Id("a") }, Bob).Ok();
        var suspended = store.Tasks.SuspendInProgress();
        store.Reopen();
        store.Tasks.Resume(suspended);
        var history = All(store, plan.Task.Id, plan.Id("a"));
        await Assert.That(history.Take(2).Select(Row).ToArray()).IsEquivalentTo(new[]
        {
            $"{plan.Id("a")} StatusChanged suspended>in_progress orchestrator {TaskOrchestrator.RestartTool}",
            $"{plan.Id("a")} StatusChanged in_progress>suspended orchestrator {TaskOrchestrator.RestartTool}",
        }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
    }

    [Test]
    public async Task A_refused_call_records_nothing()
    {
        using var store = new OrchestrationStore();
        var session = store.Session();
        var plan = store.Diamond(session);
        var before = store.Dump();
        await Assert.That(store.Tasks.CompleteSubtask(new CompleteSubtaskArgs { SubtaskId = plan.Id("code"), Summary = "s", DetailedWork = "w" }, Alice).Err().Code)
            .IsEqualTo(ErrorCode.InvalidState);
        await Assert.That(store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = plan.Id("review") }, Alice).Err().Code).IsEqualTo(ErrorCode.InvalidState);
        await Assert.That(store.Tasks.RevisePlan(new RevisePlanArgs { TaskId = plan.Task.Id, Remove = ["design"] }, Alice).Err().Code).IsEqualTo(ErrorCode.InvalidState);
        await Assert.That(store.Dump()).IsEqualTo(before);
    }

    [Test]
    public async Task Unknown_tasks_and_subtasks_of_other_tasks_are_not_found()
    {
        using var store = new OrchestrationStore();
        var session = store.Session();
        var one = store.Plan(session, Step("a", "implementer"));
        var two = store.Plan(session, Step("a", "implementer"));
        await Assert.That(store.Tasks.TaskHistory(new TaskHistoryArgs { TaskId = "task_nope" }).Err().Code).IsEqualTo(ErrorCode.NotFound);
        await Assert.That(store.Tasks.TaskHistory(new TaskHistoryArgs { TaskId = one.Task.Id, SubtaskId = "sub_nope" }).Err().Code).IsEqualTo(ErrorCode.NotFound);
        var other = store.Tasks.TaskHistory(new TaskHistoryArgs { TaskId = one.Task.Id, SubtaskId = two.Id("a") }).Err();
        await Assert.That(other.Code).IsEqualTo(ErrorCode.NotFound);
        await Assert.That(other.Message).Contains($"is not in task {one.Task.Id}");
    }

    [Test]
    public async Task The_actor_is_the_agent_named_else_the_client_name_else_unknown_and_is_bounded()
    {
        await Assert.That(Actor.Of(" agent-7 ", "claude-code").Name).IsEqualTo("agent-7");
        await Assert.That(Actor.Of("  ", "claude-code").Name).IsEqualTo("claude-code");
        await Assert.That(Actor.Of(null, null).Name).IsEqualTo(Actor.UnknownClient);
        await Assert.That(Actor.Of(new string('x', 1_000), null).Name.Length).IsEqualTo(Actor.MaxName);
    }

    [Test]
    public async Task A_store_of_the_previous_schema_upgrades_its_tasks_have_no_history_before_and_record_after()
    {
        using var directory = new UnitTempDirectory();
        var path = directory.File("orchestrator.db");
        var project = Directory.CreateDirectory(Path.Combine(directory.Path, "project")).FullName;
        PreviousSchemaStore.Create(path, project);
        var before = PreviousSchemaStore.OldRows(path);
        using var database = Database.Open(path);
        await Assert.That(PreviousSchemaStore.OldRows(path)).IsEqualTo(before);
        var tasks = new TaskOrchestrator(database, TimeProvider.System, project);
        var empty = tasks.TaskHistory(new TaskHistoryArgs { TaskId = "task_0ld000000001" }).Ok();
        await Assert.That(empty.Total).IsEqualTo(0);
        tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = "sub_0ld000000002" }, Alice).Ok();
        var after = tasks.TaskHistory(new TaskHistoryArgs { TaskId = "task_0ld000000001" }).Ok();
        await Assert.That(after.Entries.Single().SubtaskId).IsEqualTo("sub_0ld000000002");
        await Assert.That(after.Entries.Single().Actor).IsEqualTo("alice");
    }
}
