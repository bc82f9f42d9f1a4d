using Orchestrator.Orchestration;
using Orchestrator.Orchestration.Contract;
using Orchestrator.Tooling;
using static Orchestrator.Tests.Orchestration.Plans;

namespace Orchestrator.Tests.Orchestration;

/// <summary>Outcomes beyond "completed": failed, blocked, needs_revision, the review gate, retry, reopen, unblock.</summary>
public class OutcomeTests
{
    private static ReportSubtaskResult Report(OrchestrationStore store, string subtaskId, ReportedOutcome outcome, string reason) =>
        store.Tasks.ReportSubtask(new ReportSubtaskArgs { SubtaskId = subtaskId, Outcome = outcome, Reason = reason }).Ok();

    private static ToolOutcome<ReopenSubtaskResult> Reopen(OrchestrationStore store, string subtaskId, ReopenAction action, string? note = null) =>
        store.Tasks.ReopenSubtask(new ReopenSubtaskArgs { SubtaskId = subtaskId, Action = action, Note = note });

    [Test]
    public async Task A_failed_subtask_fails_its_task_until_it_is_retried_and_its_reason_reaches_the_next_execution()
    {
        using var store = new OrchestrationStore();
        var plan = store.Diamond(store.Session());
        store.Finish(plan.Id("design"));
        store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = plan.Id("code") }).Ok();

        var failed = Report(store, plan.Id("code"), ReportedOutcome.Failed, "the parser library does not build on arm64");
        await Assert.That(failed.Subtask.Status).IsEqualTo(SubtaskStatus.Failed);
        await Assert.That(failed.Subtask.StatusReason).IsEqualTo("the parser library does not build on arm64");
        await Assert.That(failed.TaskStatus).IsEqualTo(TaskState.Failed);
        await Assert.That(failed.Progress.Failed).IsEqualTo(1);
        await Assert.That(failed.NextSteps).Contains("orchestrator_reopen_subtask action retry");

        // Everything else completed: the task is still not completed, and synthesis names the failure with its reason.
        store.Finish(plan.Id("tests"));
        var status = store.Tasks.GetStatus(new GetStatusArgs { TaskId = plan.Task.Id }).Ok();
        await Assert.That(status.Tasks[0].Status).IsEqualTo(TaskState.Failed);
        var partial = store.Tasks.SynthesizeResults(new SynthesizeResultsArgs { TaskId = plan.Task.Id, AllowPartial = true }).Ok();
        var missing = partial.Missing.Single(m => m.Key == "code");
        await Assert.That(missing.Status).IsEqualTo(SubtaskStatus.Failed);
        await Assert.That(missing.Reason).IsEqualTo("the parser library does not build on arm64");
        var refused = store.Tasks.SynthesizeResults(new SynthesizeResultsArgs { TaskId = plan.Task.Id }).Err();
        await Assert.That(refused.Message).Contains("\"code\" (" + plan.Id("code") + ") is failed");

        var retried = Reopen(store, plan.Id("code"), ReopenAction.Retry, "pinned the library to 2.1").Ok();
        await Assert.That(retried.Subtask.Status).IsEqualTo(SubtaskStatus.Pending);
        await Assert.That(retried.Subtask.Ready).IsTrue();
        await Assert.That(retried.TaskStatus).IsEqualTo(TaskState.InProgress);
        var again = store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = plan.Id("code") }).Ok();
        await Assert.That(again.RevisionNotes).IsEqualTo("The previous attempt failed: the parser library does not build on arm64\n\npinned the library to 2.1");
        await Assert.That(again.Instructions).Contains("address the revision_notes");
        store.Tasks.CompleteSubtask(new CompleteSubtaskArgs { SubtaskId = plan.Id("code"), Summary = "built", DetailedWork = "code" }).Ok();
        var done = store.Finish(plan.Id("review"));
        await Assert.That(done.TaskStatus).IsEqualTo(TaskState.Completed);
        // Completion clears what was only for the next execution.
        var code = store.Tasks.GetStatus(new GetStatusArgs { TaskId = plan.Task.Id }).Ok().Subtasks!.Single(s => s.Key == "code");
        await Assert.That(code.RevisionNotes).IsNull();
        await Assert.That(code.StatusReason).IsNull();
    }

    [Test]
    public async Task A_blocked_subtask_blocks_its_task_and_waits_until_unblocked()
    {
        using var store = new OrchestrationStore();
        var plan = store.Diamond(store.Session());
        // Blocked may be reported before the subtask starts: the planner knows of an outside wait.
        var blocked = Report(store, plan.Id("design"), ReportedOutcome.Blocked, "waiting for the API keys from ops");
        await Assert.That(blocked.TaskStatus).IsEqualTo(TaskState.Blocked);
        var refused = store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = plan.Id("design") }).Err();
        await Assert.That(refused.Code).IsEqualTo(ErrorCode.InvalidState);
        await Assert.That(refused.Message).IsEqualTo($"Cannot execute subtask {plan.Id("design")} (\"design\"): it is blocked, and execute moves a subtask "
            + "from pending, needs_revision or suspended to in_progress (unblock it first: orchestrator_reopen_subtask with action unblock)");

        var unblocked = Reopen(store, plan.Id("design"), ReopenAction.Unblock, "keys are in the vault").Ok();
        await Assert.That(unblocked.Subtask.Status).IsEqualTo(SubtaskStatus.Pending);
        await Assert.That(unblocked.Subtask.RevisionNotes).IsEqualTo("It was blocked: waiting for the API keys from ops\n\nkeys are in the vault");
        await Assert.That(unblocked.TaskStatus).IsEqualTo(TaskState.InProgress);
        await Assert.That(store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = plan.Id("design") }).Ok().Subtask.Status).IsEqualTo(SubtaskStatus.InProgress);
    }

    [Test]
    public async Task A_review_gate_holds_completion_until_approved_and_sends_notes_back_to_the_next_execution()
    {
        using var store = new OrchestrationStore();
        var session = store.Session();
        var plan = store.Tasks.PlanTask(new PlanTaskArgs
        {
            SessionId = session, Title = "Gated",
            Subtasks = [Step("design", "architect") with { ReviewRequired = true }, Step("code", "implementer", "design")],
        }).Ok();
        await Assert.That(plan.Subtasks[0].ReviewRequired).IsTrue();
        var completed = store.Finish(plan.Id("design"), "first draft");
        await Assert.That(completed.Subtask.Status).IsEqualTo(SubtaskStatus.NeedsReview);
        await Assert.That(completed.NewlyReady).IsEmpty();
        await Assert.That(completed.TaskStatus).IsEqualTo(TaskState.InProgress);
        await Assert.That(store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = plan.Id("code") }).Err().Message).Contains("\"design\"").And.Contains("is needs_review");

        var before = store.Dump();
        var noNotes = store.Tasks.ReviewSubtask(new ReviewSubtaskArgs { SubtaskId = plan.Id("design"), Verdict = ReviewVerdict.Revise }).Err();
        await Assert.That(noNotes.Code).IsEqualTo(ErrorCode.InvalidParameters);
        await Assert.That(noNotes.Details).IsEquivalentTo(["notes: must say what to change when sending a subtask back"]);
        await Assert.That(store.Dump()).IsEqualTo(before);

        var sentBack = store.Tasks.ReviewSubtask(new ReviewSubtaskArgs { SubtaskId = plan.Id("design"), Verdict = ReviewVerdict.Revise, Notes = "name the error type" }).Ok();
        await Assert.That(sentBack.Subtask.Status).IsEqualTo(SubtaskStatus.NeedsRevision);
        await Assert.That(sentBack.Subtask.Ready).IsTrue();
        var redo = store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = plan.Id("design") }).Ok();
        await Assert.That(redo.RevisionNotes).IsEqualTo("name the error type");
        store.Tasks.CompleteSubtask(new CompleteSubtaskArgs { SubtaskId = plan.Id("design"), Summary = "second draft", DetailedWork = "with error type" }).Ok();

        var approved = store.Tasks.ReviewSubtask(new ReviewSubtaskArgs { SubtaskId = plan.Id("design"), Verdict = ReviewVerdict.Approve }).Ok();
        await Assert.That(approved.Subtask.Status).IsEqualTo(SubtaskStatus.Completed);
        await Assert.That(approved.NewlyReady.Select(r => r.Key)).IsEquivalentTo(["code"]);
        // The dependant gets the approved (latest) work.
        var code = store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = plan.Id("code") }).Ok();
        await Assert.That(code.DependencyResults.Single().DetailedWork).IsEqualTo("with error type");

        var twice = store.Tasks.ReviewSubtask(new ReviewSubtaskArgs { SubtaskId = plan.Id("design"), Verdict = ReviewVerdict.Approve }).Err();
        await Assert.That(twice.Message).IsEqualTo($"Cannot approve subtask {plan.Id("design")} (\"design\"): it is completed, and approve moves a subtask from needs_review to completed");
    }

    [Test]
    public async Task Reopening_a_completed_subtask_flags_the_dependants_that_used_it_and_reopens_its_task()
    {
        using var store = new OrchestrationStore();
        var plan = store.Diamond(store.Session());
        store.Finish(plan.Id("design"));
        store.Finish(plan.Id("code"));
        store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = plan.Id("tests") }).Ok();
        var before = store.Dump();
        var noNote = Reopen(store, plan.Id("design"), ReopenAction.Reopen).Err();
        await Assert.That(noNote.Code).IsEqualTo(ErrorCode.InvalidParameters);
        await Assert.That(store.Dump()).IsEqualTo(before);

        var reopened = Reopen(store, plan.Id("design"), ReopenAction.Reopen, "support streaming input").Ok();
        await Assert.That(reopened.Subtask.Status).IsEqualTo(SubtaskStatus.NeedsRevision);
        await Assert.That(reopened.Subtask.RevisionNotes).IsEqualTo("support streaming input");
        // code (completed) and tests (in progress) consumed the design: flagged, their status kept; review had not started.
        await Assert.That(reopened.Flagged.Select(f => (f.Key, f.Status))).IsEquivalentTo(
            [("code", SubtaskStatus.Completed), ("tests", SubtaskStatus.InProgress)], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        var subtasks = store.Tasks.GetStatus(new GetStatusArgs { TaskId = plan.Task.Id }).Ok().Subtasks!.ToDictionary(s => s.Key);
        await Assert.That(subtasks["code"].StaleInputs).IsEquivalentTo([plan.Id("design")]);
        await Assert.That(subtasks["review"].StaleInputs).IsNull();
        await Assert.That(subtasks["review"].Ready).IsFalse();

        // Redone and completed again: executing the dependant afresh clears its flag.
        store.Finish(plan.Id("design"), "streaming design");
        var reopenCode = Reopen(store, plan.Id("code"), ReopenAction.Reopen, "use the streaming design").Ok();
        var code = store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = plan.Id("code") }).Ok();
        await Assert.That(code.Subtask.StaleInputs).IsNull();
        await Assert.That(code.DependencyResults.Single().DetailedWork).IsEqualTo("streaming design");
        await Assert.That(reopenCode.TaskStatus).IsEqualTo(TaskState.InProgress);
    }

    [Test]
    public async Task A_completed_task_whose_subtask_is_reopened_is_in_progress_again()
    {
        using var store = new OrchestrationStore();
        var plan = store.Plan(store.Session(), Step("only", "researcher"));
        await Assert.That(store.Finish(plan.Id("only")).TaskStatus).IsEqualTo(TaskState.Completed);
        var reopened = Reopen(store, plan.Id("only"), ReopenAction.Reopen, "cite sources").Ok();
        await Assert.That(reopened.TaskStatus).IsEqualTo(TaskState.InProgress);
        await Assert.That(store.Finish(plan.Id("only")).TaskStatus).IsEqualTo(TaskState.Completed);
    }

    [Test]
    [Arguments("complete-pending")]
    [Arguments("retry-completed")]
    [Arguments("unblock-pending")]
    [Arguments("reopen-failed")]
    [Arguments("fail-pending")]
    [Arguments("revise-completed")]
    [Arguments("approve-in-progress")]
    public async Task A_move_that_makes_no_sense_is_invalid_state_naming_current_and_wanted_status_and_changes_nothing(string move)
    {
        using var store = new OrchestrationStore();
        var plan = store.Diamond(store.Session());
        store.Finish(plan.Id("design"));
        store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = plan.Id("code") }).Ok();
        store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = plan.Id("tests") }).Ok();
        Report(store, plan.Id("tests"), ReportedOutcome.Failed, "flaky runner");
        var before = store.Dump();
        var (error, current, wanted) = move switch
        {
            "complete-pending" => (store.Tasks.CompleteSubtask(new CompleteSubtaskArgs { SubtaskId = plan.Id("review"), Summary = "s", DetailedWork = "w" }).Err(), "pending", "completed"),
            "retry-completed" => (Reopen(store, plan.Id("design"), ReopenAction.Retry).Err(), "completed", "pending"),
            "unblock-pending" => (Reopen(store, plan.Id("review"), ReopenAction.Unblock).Err(), "pending", "pending"),
            "reopen-failed" => (Reopen(store, plan.Id("tests"), ReopenAction.Reopen, "why").Err(), "failed", "needs_revision"),
            "fail-pending" => (store.Tasks.ReportSubtask(new ReportSubtaskArgs { SubtaskId = plan.Id("review"), Outcome = ReportedOutcome.Failed, Reason = "r" }).Err(), "pending", "failed"),
            "revise-completed" => (store.Tasks.ReportSubtask(new ReportSubtaskArgs { SubtaskId = plan.Id("design"), Outcome = ReportedOutcome.NeedsRevision, Reason = "r" }).Err(), "completed", "needs_revision"),
            _ => (store.Tasks.ReviewSubtask(new ReviewSubtaskArgs { SubtaskId = plan.Id("code"), Verdict = ReviewVerdict.Approve }).Err(), "in_progress", "completed"),
        };
        await Assert.That(error.Code).IsEqualTo(ErrorCode.InvalidState);
        await Assert.That(error.Message).Contains($": it is {current}, and ").And.Contains($" to {wanted}");
        await Assert.That(store.Dump()).IsEqualTo(before);
    }

    [Test]
    public async Task Needs_revision_reported_by_the_specialist_makes_the_subtask_ready_again_with_its_reason_as_notes()
    {
        using var store = new OrchestrationStore();
        var plan = store.Diamond(store.Session());
        store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = plan.Id("design") }).Ok();
        var report = Report(store, plan.Id("design"), ReportedOutcome.NeedsRevision, "the goal changed midway; redo with the new scope");
        await Assert.That(report.Subtask.Status).IsEqualTo(SubtaskStatus.NeedsRevision);
        await Assert.That(report.Subtask.Ready).IsTrue();
        await Assert.That(report.TaskStatus).IsEqualTo(TaskState.InProgress);
        var again = store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = plan.Id("design") }).Ok();
        await Assert.That(again.RevisionNotes).IsEqualTo("the goal changed midway; redo with the new scope");
    }

    [Test]
    public async Task Reports_and_reopens_are_refused_for_unknown_ids_bad_reasons_and_cancelled_tasks_changing_nothing()
    {
        using var store = new OrchestrationStore();
        var session = store.Session();
        var plan = store.Diamond(session);
        store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = plan.Id("design") }).Ok();
        var cancelled = store.Plan(session, Step("x", "tester"));
        store.Tasks.CancelTask(new CancelTaskArgs { TaskId = cancelled.Task.Id }).Ok();
        var before = store.Dump();

        await Assert.That(store.Tasks.ReportSubtask(new ReportSubtaskArgs { SubtaskId = "sub_nope", Outcome = ReportedOutcome.Failed, Reason = "r" }).Err().Code).IsEqualTo(ErrorCode.NotFound);
        var blank = store.Tasks.ReportSubtask(new ReportSubtaskArgs { SubtaskId = plan.Id("design"), Outcome = ReportedOutcome.Failed, Reason = " " }).Err();
        await Assert.That(blank.Details).IsEquivalentTo(["reason: must not be empty"]);
        var huge = store.Tasks.ReportSubtask(new ReportSubtaskArgs { SubtaskId = plan.Id("design"), Outcome = ReportedOutcome.Failed, Reason = new string('r', Limits.MaxText + 1) }).Err();
        await Assert.That(huge.Details).IsEquivalentTo([$"reason: longer than {Limits.MaxText} characters"]);
        var onCancelled = store.Tasks.ReportSubtask(new ReportSubtaskArgs { SubtaskId = cancelled.Id("x"), Outcome = ReportedOutcome.Blocked, Reason = "r" }).Err();
        await Assert.That(onCancelled.Code).IsEqualTo(ErrorCode.InvalidState);
        await Assert.That(Reopen(store, cancelled.Id("x"), ReopenAction.Retry).Err().Message).IsEqualTo($"Task {cancelled.Task.Id} is cancelled; its subtasks cannot change");
        await Assert.That(store.Dump()).IsEqualTo(before);
    }

    [Test]
    public async Task Cancelling_a_task_cancels_failed_blocked_and_waiting_subtasks_too()
    {
        using var store = new OrchestrationStore();
        var plan = store.Diamond(store.Session());
        store.Finish(plan.Id("design"));
        store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = plan.Id("code") }).Ok();
        Report(store, plan.Id("code"), ReportedOutcome.Failed, "no");
        Report(store, plan.Id("tests"), ReportedOutcome.Blocked, "no runner");
        var result = store.Tasks.CancelTask(new CancelTaskArgs { TaskId = plan.Task.Id }).Ok();
        await Assert.That(result.CancelledSubtasks.Select(s => s.Key)).IsEquivalentTo(["code", "tests", "review"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(result.Task.Status).IsEqualTo(TaskState.Cancelled);
    }
}
