using Orchestrator.Orchestration;
using Orchestrator.Orchestration.Contract;
using Orchestrator.Tooling;
using static Orchestrator.Tests.Orchestration.Plans;

namespace Orchestrator.Tests.Orchestration;

/// <summary>orchestrator_get_status, orchestrator_query_tasks, orchestrator_update_task and orchestrator_cancel_task.</summary>
public class TaskManagementTests
{
    [Test]
    public async Task Status_lists_active_tasks_newest_first_and_completed_ones_on_request()
    {
        using var store = new OrchestrationStore();
        var session = store.Session();
        var done = store.Plan(session, Step("a", "implementer"));
        store.Finish(done.Id("a"));
        var planned = store.Plan(session, Step("a", "implementer"));
        var cancelled = store.Plan(session, Step("a", "implementer"));
        store.Tasks.CancelTask(new CancelTaskArgs { TaskId = cancelled.Task.Id }).Ok();
        var running = store.Diamond(session);
        store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = running.Id("design") }).Ok();

        var active = store.Tasks.GetStatus(new GetStatusArgs()).Ok();
        await Assert.That(active.Tasks.Select(t => t.Id)).IsEquivalentTo([running.Task.Id, planned.Task.Id], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(active.Tasks[0].Progress!.InProgress).IsEqualTo(1);
        await Assert.That(active.SubtasksInProgress).IsEqualTo(1);
        await Assert.That(active.HasMore).IsFalse();
        await Assert.That(active.Subtasks).IsNull();

        var all = store.Tasks.GetStatus(new GetStatusArgs { IncludeCompleted = true, SessionId = session }).Ok();
        await Assert.That(all.Tasks.Select(t => t.Id)).IsEquivalentTo([running.Task.Id, planned.Task.Id, done.Task.Id], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(all.Tasks[2].Progress!.Percent).IsEqualTo(100.0);

        var limited = store.Tasks.GetStatus(new GetStatusArgs { Limit = 1 }).Ok();
        await Assert.That(limited.Tasks.Count).IsEqualTo(1);
        await Assert.That(limited.HasMore).IsTrue();
    }

    [Test]
    public async Task Status_of_an_unknown_task_or_session_is_not_found()
    {
        using var store = new OrchestrationStore();
        var session = store.Session();
        var plan = store.Plan(session, Step("a", "implementer"));
        await Assert.That(store.Tasks.GetStatus(new GetStatusArgs { TaskId = "task_nope" }).Err().Code).IsEqualTo(ErrorCode.NotFound);
        await Assert.That(store.Tasks.GetStatus(new GetStatusArgs { SessionId = "sess_nope" }).Err().Code).IsEqualTo(ErrorCode.NotFound);
        var other = Directory.CreateDirectory(Path.Combine(store.WorkingDirectory, "other")).FullName;
        var otherSession = store.Tasks.InitializeSession(new InitializeSessionArgs { WorkingDirectory = other }).Ok().SessionId;
        var wrong = store.Tasks.GetStatus(new GetStatusArgs { TaskId = plan.Task.Id, SessionId = otherSession }).Err();
        await Assert.That(wrong.Code).IsEqualTo(ErrorCode.NotFound);
        await Assert.That(wrong.Message).IsEqualTo($"Task {plan.Task.Id} is not in session {otherSession}");
    }

    [Test]
    public async Task Query_filters_by_status_session_and_text_and_pages_without_gaps_or_repeats()
    {
        using var store = new OrchestrationStore();
        var session = store.Session();
        var ids = new List<string>();
        for (var i = 0; i < 7; i++)
            ids.Add(store.Tasks.PlanTask(new PlanTaskArgs { SessionId = session, Title = $"Task {i}" + (i % 2 == 0 ? " 100% even_" : ""), Subtasks = [Step("a", "tester")] }).Ok().Task.Id);
        store.Tasks.CancelTask(new CancelTaskArgs { TaskId = ids[3] }).Ok();
        ids.Reverse();

        var seen = new List<string>();
        var offset = 0;
        for (var page = 0; page < 5; page++)
        {
            var result = store.Tasks.QueryTasks(new QueryTasksArgs { Limit = 3, Offset = offset }).Ok();
            seen.AddRange(result.Tasks.Select(t => t.Id));
            if (!result.HasMore) { await Assert.That(result.NextOffset).IsNull(); break; }
            await Assert.That(result.NextOffset).IsEqualTo(offset + 3);
            offset = result.NextOffset!.Value;
        }
        // The cancellation updated task 3 last, so it comes first; the others follow newest first.
        await Assert.That(seen).IsEquivalentTo(new[] { ids[3] }.Concat(ids.Where(i => i != ids[3])), TUnit.Assertions.Enums.CollectionOrdering.Matching);

        var beyond = store.Tasks.QueryTasks(new QueryTasksArgs { Offset = 100 }).Ok();
        await Assert.That(beyond.Tasks).IsEmpty();
        await Assert.That(beyond.HasMore).IsFalse();
        var cancelled = store.Tasks.QueryTasks(new QueryTasksArgs { Status = TaskState.Cancelled, SessionId = session }).Ok();
        await Assert.That(cancelled.Tasks.Single().Id).IsEqualTo(ids[3]);
        // Text is a full-text search: words match whole words whatever their case, punctuation is quoted.
        var words = store.Tasks.QueryTasks(new QueryTasksArgs { Text = "\"100%\" EVEN" }).Ok();
        await Assert.That(words.Tasks.Count).IsEqualTo(4);
        await Assert.That(store.Tasks.QueryTasks(new QueryTasksArgs { Text = "Task 1" }).Ok().Tasks.Single().Title).IsEqualTo("Task 1");
        await Assert.That(store.Tasks.QueryTasks(new QueryTasksArgs { Text = "0%" }).Err().Code).IsEqualTo(ErrorCode.InvalidParameters);
        await Assert.That(store.Tasks.QueryTasks(new QueryTasksArgs { SessionId = "sess_x" }).Err().Code).IsEqualTo(ErrorCode.NotFound);
    }

    [Test]
    [Arguments("limit", 0)]
    [Arguments("limit", 101)]
    [Arguments("offset", -1)]
    public async Task Page_bounds_are_enforced_by_the_tool_schema(string field, int value)
    {
        using var document = System.Text.Json.JsonDocument.Parse($"{{ \"{field}\": {value} }}");
        var arguments = document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
        var errors = new ArgumentErrors();
        await Assert.That(QueryTasksArgs.TryParse(arguments, out _, errors)).IsFalse();
        await Assert.That(errors.Items.Single()).StartsWith(field + ":");
        await Assert.That(errors.ToToolError().Code).IsEqualTo(ErrorCode.InvalidParameters);
    }

    [Test]
    public async Task Update_changes_only_the_fields_given_and_reports_them()
    {
        using var store = new OrchestrationStore();
        var plan = store.Diamond(store.Session());
        var updated = store.Tasks.UpdateTask(new UpdateTaskArgs { TaskId = plan.Task.Id, Title = " New title ", Complexity = Complexity.High, Description = "The goal in detail" }).Ok();
        await Assert.That(updated.Changed).IsEquivalentTo(["title", "complexity"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(updated.Task.Title).IsEqualTo("New title");
        await Assert.That(updated.Task.Complexity).IsEqualTo(Complexity.High);
        await Assert.That(updated.Task.UpdatedAt).IsGreaterThan(plan.Task.UpdatedAt);
        var before = store.Dump();
        var same = store.Tasks.UpdateTask(new UpdateTaskArgs { TaskId = plan.Task.Id, Title = "New title" }).Ok();
        await Assert.That(same.Changed).IsEmpty();
        await Assert.That(store.Dump()).IsEqualTo(before);
        var execute = store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = plan.Id("design") }).Ok();
        await Assert.That(execute.Goal).StartsWith("New title");
    }

    [Test]
    public async Task Update_refuses_bad_input_unknown_ids_and_finished_tasks()
    {
        using var store = new OrchestrationStore();
        var session = store.Session();
        var plan = store.Diamond(session);
        var done = store.Plan(session, Step("a", "tester"));
        store.Finish(done.Id("a"));
        store.Tasks.CancelTask(new CancelTaskArgs { TaskId = plan.Task.Id }).Ok();
        var before = store.Dump();

        var nothing = store.Tasks.UpdateTask(new UpdateTaskArgs { TaskId = done.Task.Id }).Err();
        await Assert.That(nothing.Code).IsEqualTo(ErrorCode.InvalidParameters);
        await Assert.That(nothing.Message).Contains("give at least one of title, description, complexity");
        var blank = store.Tasks.UpdateTask(new UpdateTaskArgs { TaskId = done.Task.Id, Title = "" }).Err();
        await Assert.That(blank.Message).Contains("title: must not be empty");
        await Assert.That(store.Tasks.UpdateTask(new UpdateTaskArgs { TaskId = "task_x", Title = "t" }).Err().Code).IsEqualTo(ErrorCode.NotFound);
        var cancelled = store.Tasks.UpdateTask(new UpdateTaskArgs { TaskId = plan.Task.Id, Title = "t" }).Err();
        await Assert.That(cancelled.Code).IsEqualTo(ErrorCode.InvalidState);
        await Assert.That(cancelled.Message).IsEqualTo($"Task {plan.Task.Id} is cancelled; only an open task (planned, in_progress, failed, blocked) can be updated");
        var completed = store.Tasks.UpdateTask(new UpdateTaskArgs { TaskId = done.Task.Id, Title = "t" }).Err();
        await Assert.That(completed.Code).IsEqualTo(ErrorCode.InvalidState);
        await Assert.That(store.Dump()).IsEqualTo(before);
    }

    [Test]
    public async Task Cancel_keeps_completed_work_and_cancels_the_rest()
    {
        using var store = new OrchestrationStore();
        var plan = store.Diamond(store.Session());
        store.Finish(plan.Id("design"), "kept-design");
        store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = plan.Id("code") }).Ok();
        var result = store.Tasks.CancelTask(new CancelTaskArgs { TaskId = plan.Task.Id, Reason = "scope changed" }).Ok();
        await Assert.That(result.Task.Status).IsEqualTo(TaskState.Cancelled);
        await Assert.That(result.Task.CancelReason).IsEqualTo("scope changed");
        await Assert.That(result.PreservedSubtasks.Select(s => s.Key)).IsEquivalentTo(["design"]);
        await Assert.That(result.CancelledSubtasks.Select(s => s.Key)).IsEquivalentTo(["code", "tests", "review"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(result.CancelledSubtasks.All(s => s.Status == SubtaskStatus.Cancelled)).IsTrue();
        await Assert.That(result.Task.Progress!.Completed).IsEqualTo(1);
        await Assert.That(result.Task.Progress!.Percent).IsEqualTo(100.0);

        var partial = store.Tasks.SynthesizeResults(new SynthesizeResultsArgs { TaskId = plan.Task.Id, AllowPartial = true }).Ok();
        await Assert.That(partial.Synthesis).Contains("kept-design");
        await Assert.That(partial.Results.Single().ArtifactId).IsNotNull();
        await Assert.That(store.Tasks.CountSubtasks(SubtaskStatus.InProgress)).IsEqualTo(0);
    }

    [Test]
    public async Task Cancelling_twice_a_completed_task_or_an_unknown_one_is_refused()
    {
        using var store = new OrchestrationStore();
        var session = store.Session();
        var plan = store.Plan(session, Step("a", "tester"));
        store.Tasks.CancelTask(new CancelTaskArgs { TaskId = plan.Task.Id }).Ok();
        var done = store.Plan(session, Step("a", "tester"));
        store.Finish(done.Id("a"));
        var before = store.Dump();
        var twice = store.Tasks.CancelTask(new CancelTaskArgs { TaskId = plan.Task.Id }).Err();
        await Assert.That(twice.Code).IsEqualTo(ErrorCode.InvalidState);
        await Assert.That(twice.Message).IsEqualTo($"Task {plan.Task.Id} is already cancelled");
        await Assert.That(store.Tasks.CancelTask(new CancelTaskArgs { TaskId = done.Task.Id }).Err().Message).IsEqualTo($"Task {done.Task.Id} is already completed");
        await Assert.That(store.Tasks.CancelTask(new CancelTaskArgs { TaskId = "task_x" }).Err().Code).IsEqualTo(ErrorCode.NotFound);
        await Assert.That(store.Dump()).IsEqualTo(before);
    }
}
