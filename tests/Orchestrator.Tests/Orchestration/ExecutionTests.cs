using Orchestrator.Orchestration;
using Orchestrator.Orchestration.Contract;
using Orchestrator.Tooling;

namespace Orchestrator.Tests.Orchestration;

/// <summary>orchestrator_execute_subtask, orchestrator_complete_subtask and orchestrator_synthesize_results.</summary>
public class ExecutionTests
{
    [Test]
    public async Task Executing_gives_the_role_prompt_the_goal_and_the_dependency_results()
    {
        using var store = new OrchestrationStore();
        var plan = store.Diamond(store.Session());
        var first = store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = plan.Id("design") }).Ok();
        await Assert.That(first.AlreadyInProgress).IsFalse();
        await Assert.That(first.Subtask.Status).IsEqualTo(SubtaskStatus.InProgress);
        await Assert.That(first.RolePrompt).IsEqualTo(BuiltInRoles.All.Single(r => r.Name == "architect").Prompt);
        await Assert.That(first.Goal).IsEqualTo("Build the feature\n\nThe goal in detail");
        await Assert.That(first.DependencyResults).IsEmpty();
        await Assert.That(first.Instructions).Contains(plan.Id("design")).And.Contains("orchestrator_complete_subtask");
        await Assert.That(store.Tasks.GetStatus(new GetStatusArgs { TaskId = plan.Task.Id }).Ok().Tasks[0].Status).IsEqualTo(TaskState.InProgress);

        store.Tasks.CompleteSubtask(new CompleteSubtaskArgs
        {
            SubtaskId = plan.Id("design"), Summary = "Two layers", DetailedWork = "Full design text", FilePaths = ["docs/design.md"],
            ArtifactType = ArtifactType.Design, NextAction = "implement",
        }).Ok();
        var code = store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = plan.Id("code") }).Ok();
        var dependency = code.DependencyResults.Single();
        await Assert.That(dependency).IsEquivalentTo(new DependencyResult
        {
            SubtaskId = plan.Id("design"), Title = "Step design", Role = "architect", Summary = "Two layers", DetailedWork = "Full design text",
            ArtifactId = "art_0001", DetailedWorkLength = "Full design text".Length,
            FilePaths = ["docs/design.md"], ArtifactType = ArtifactType.Design, NextAction = "implement",
        });
    }

    [Test]
    public async Task Executing_with_unmet_dependencies_is_refused_naming_them()
    {
        using var store = new OrchestrationStore();
        var plan = store.Diamond(store.Session());
        store.Finish(plan.Id("design"));
        store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = plan.Id("code") }).Ok();
        var before = store.Dump();
        var error = store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = plan.Id("review") }).Err();
        await Assert.That(error.Code).IsEqualTo(ErrorCode.InvalidState);
        await Assert.That(error.Message).IsEqualTo($"Subtask {plan.Id("review")} (\"review\") has unmet dependencies: "
            + $"\"code\" ({plan.Id("code")}) is in_progress, \"tests\" ({plan.Id("tests")}) is pending");
        await Assert.That(store.Dump()).IsEqualTo(before);
    }

    [Test]
    public async Task Executing_an_unknown_a_completed_or_a_cancelled_subtask_is_refused()
    {
        using var store = new OrchestrationStore();
        var session = store.Session();
        var plan = store.Diamond(session);
        store.Finish(plan.Id("design"));
        var other = store.Plan(session, Plans.Step("only", "researcher"));
        store.Tasks.CancelTask(new CancelTaskArgs { TaskId = other.Task.Id }).Ok();
        var before = store.Dump();

        var unknown = store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = "sub_nope" }).Err();
        await Assert.That(unknown.Code).IsEqualTo(ErrorCode.NotFound);
        await Assert.That(unknown.Message).IsEqualTo("Unknown subtask id \"sub_nope\"");
        var completed = store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = plan.Id("design") }).Err();
        await Assert.That(completed.Code).IsEqualTo(ErrorCode.InvalidState);
        await Assert.That(completed.Message).IsEqualTo($"Cannot execute subtask {plan.Id("design")} (\"design\"): it is completed, and execute moves a subtask "
            + "from pending, needs_revision or suspended to in_progress (to redo it, reopen it: orchestrator_reopen_subtask with action reopen)");
        var cancelled = store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = other.Id("only") }).Err();
        await Assert.That(cancelled.Code).IsEqualTo(ErrorCode.InvalidState);
        await Assert.That(cancelled.Message).IsEqualTo($"Task {other.Task.Id} is cancelled; its subtasks cannot be executed");
        await Assert.That(store.Dump()).IsEqualTo(before);
    }

    [Test]
    public async Task Executing_a_subtask_already_in_progress_repeats_the_context_and_changes_nothing()
    {
        using var store = new OrchestrationStore();
        var plan = store.Diamond(store.Session());
        var first = store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = plan.Id("design") }).Ok();
        var before = store.Dump();
        var again = store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = plan.Id("design") }).Ok();
        await Assert.That(again.AlreadyInProgress).IsTrue();
        await Assert.That(again.RolePrompt).IsEqualTo(first.RolePrompt);
        await Assert.That(again.Subtask).IsEquivalentTo(first.Subtask);
        await Assert.That(store.Dump()).IsEqualTo(before);
    }

    [Test]
    public async Task Completing_records_the_result_and_artifact_and_names_the_newly_ready()
    {
        using var store = new OrchestrationStore();
        var plan = store.Diamond(store.Session());
        store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = plan.Id("design") }).Ok();
        var done = store.Tasks.CompleteSubtask(new CompleteSubtaskArgs
        {
            SubtaskId = plan.Id("design"), Summary = " Designed ", DetailedWork = "Everything", FilePaths = ["a.md", "a.md", "b.md"], ArtifactType = ArtifactType.Design,
        }).Ok();
        await Assert.That(done.Subtask.Status).IsEqualTo(SubtaskStatus.Completed);
        await Assert.That(done.Subtask.ResultSummary).IsEqualTo("Designed");
        await Assert.That(done.Subtask.FilePaths!).IsEquivalentTo(["a.md", "b.md"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(done.Subtask.NextAction).IsNull();
        await Assert.That(done.ArtifactId).StartsWith("art_");
        await Assert.That(done.NewlyReady.Select(r => r.Key)).IsEquivalentTo(["code", "tests"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(done.TaskStatus).IsEqualTo(TaskState.InProgress);
        await Assert.That(done.Progress.Completed).IsEqualTo(1);
        await Assert.That(done.Progress.Percent).IsEqualTo(25.0);
        await Assert.That(store.Dump()).Contains("type=design | content=Everything");

        // "review" needs both: completing only "code" readies nothing, completing "tests" readies "review".
        await Assert.That(store.Finish(plan.Id("code")).NewlyReady).IsEmpty();
        await Assert.That(store.Finish(plan.Id("tests")).NewlyReady.Single().Key).IsEqualTo("review");
        var last = store.Finish(plan.Id("review"));
        await Assert.That(last.TaskStatus).IsEqualTo(TaskState.Completed);
        await Assert.That(last.Progress.Percent).IsEqualTo(100.0);
    }

    [Test]
    public async Task Completing_a_subtask_not_in_progress_or_with_bad_input_is_refused()
    {
        using var store = new OrchestrationStore();
        var plan = store.Diamond(store.Session());
        store.Finish(plan.Id("design"));
        store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = plan.Id("code") }).Ok();
        var before = store.Dump();

        var pending = store.Tasks.CompleteSubtask(new CompleteSubtaskArgs { SubtaskId = plan.Id("tests"), Summary = "s", DetailedWork = "w" }).Err();
        await Assert.That(pending.Code).IsEqualTo(ErrorCode.InvalidState);
        await Assert.That(pending.Message).IsEqualTo($"Cannot complete subtask {plan.Id("tests")} (\"tests\"): it is pending, and complete moves a subtask "
            + "from in_progress to completed (call orchestrator_execute_subtask first)");
        var again = store.Tasks.CompleteSubtask(new CompleteSubtaskArgs { SubtaskId = plan.Id("design"), Summary = "s", DetailedWork = "w" }).Err();
        await Assert.That(again.Code).IsEqualTo(ErrorCode.InvalidState);
        var unknown = store.Tasks.CompleteSubtask(new CompleteSubtaskArgs { SubtaskId = "sub_x", Summary = "s", DetailedWork = "w" }).Err();
        await Assert.That(unknown.Code).IsEqualTo(ErrorCode.NotFound);
        var blank = store.Tasks.CompleteSubtask(new CompleteSubtaskArgs { SubtaskId = plan.Id("code"), Summary = "", DetailedWork = " ", FilePaths = ["", "a\nb"] }).Err();
        await Assert.That(blank.Code).IsEqualTo(ErrorCode.InvalidParameters);
        await Assert.That(blank.Details).IsEquivalentTo(["summary: must not be empty", "detailed_work: must not be empty",
            "file_paths[0]: must not be empty", "file_paths[1]: must not contain a line break"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(store.Dump()).IsEqualTo(before);
    }

    [Test]
    public async Task Synthesis_is_refused_while_unfinished_partial_on_request_and_complete_at_the_end()
    {
        using var store = new OrchestrationStore();
        var plan = store.Diamond(store.Session());
        store.Finish(plan.Id("design"), "design-work");
        var before = store.Dump();

        var refused = store.Tasks.SynthesizeResults(new SynthesizeResultsArgs { TaskId = plan.Task.Id }).Err();
        await Assert.That(refused.Code).IsEqualTo(ErrorCode.InvalidState);
        await Assert.That(refused.Message).Contains("has 3 subtask(s) not completed").And.Contains("pass allow_partial");
        var partial = store.Tasks.SynthesizeResults(new SynthesizeResultsArgs { TaskId = plan.Task.Id, AllowPartial = true }).Ok();
        await Assert.That(partial.Complete).IsFalse();
        await Assert.That(partial.Missing.Select(m => m.Key)).IsEquivalentTo(["code", "tests", "review"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(partial.Synthesis).Contains("> Partial synthesis: 1 of 4 subtasks completed");
        // The detailed work appears once, in the document; the result names its artifact and length.
        await Assert.That(partial.Results.Single().DetailedWork).IsNull();
        await Assert.That(partial.Results.Single().ArtifactId).IsEqualTo("art_0001");
        await Assert.That(partial.Results.Single().DetailedWorkLength).IsEqualTo("design-work".Length);
        await Assert.That(partial.Synthesis).Contains("\n\ndesign-work\n\n");
        await Assert.That(store.Dump()).IsEqualTo(before);
        var unknown = store.Tasks.SynthesizeResults(new SynthesizeResultsArgs { TaskId = "task_x" }).Err();
        await Assert.That(unknown.Code).IsEqualTo(ErrorCode.NotFound);

        store.Finish(plan.Id("code"), "code-work");
        store.Finish(plan.Id("tests"), "tests-work");
        store.Finish(plan.Id("review"), "review-work");
        var whole = store.Tasks.SynthesizeResults(new SynthesizeResultsArgs { TaskId = plan.Task.Id }).Ok();
        await Assert.That(whole.Complete).IsTrue();
        await Assert.That(whole.Missing).IsEmpty();
        await Assert.That(whole.Task.Status).IsEqualTo(TaskState.Completed);
        await Assert.That(whole.FilePaths).IsEquivalentTo(["src/design-work.cs", "src/code-work.cs", "src/tests-work.cs", "src/review-work.cs"],
            TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(whole.Synthesis).StartsWith("# Build the feature\n\nThe goal in detail\n\n## 1. Step design (architect)\n\nsummary of design-work\n\ndesign-work\n\nFiles: src/design-work.cs");
        await Assert.That(whole.Synthesis.IndexOf("## 4. Step review (reviewer)", StringComparison.Ordinal)).IsGreaterThan(whole.Synthesis.IndexOf("## 3.", StringComparison.Ordinal));
    }
}
