using System.Text;
using Orchestrator.Orchestration;
using Orchestrator.Orchestration.Contract;
using Orchestrator.Tooling;

namespace Orchestrator.Tests.Orchestration;

/// <summary>request_id on the task tools that change state: the first answer kept with the change, given again to a retry.</summary>
public class IdempotencyTests
{
    private static TaskCaller Call(string client, string tool, string requestId, string fingerprint = "f1") =>
        new(client, new IdempotentRequest(tool, requestId, fingerprint));

    private static string Json<T>(ToolOutcome<T> outcome) where T : IJsonWritable =>
        Encoding.UTF8.GetString(ToolResults.Serialize((outcome.Replay ?? outcome.Result!).WriteJson));

    [Test]
    public async Task The_same_request_answers_the_first_answer_again_and_changes_nothing_also_after_a_cold_start()
    {
        using var store = new OrchestrationStore();
        var session = store.Session();
        var args = new PlanTaskArgs { SessionId = session, Title = "T", Subtasks = [Plans.Step("a", "architect")] };
        var first = store.Tasks.PlanTask(args, Call("alice", "orchestrator_plan_task", "r-1"));
        await Assert.That(first.Replay).IsNull();
        var afterFirst = store.Dump();

        var retry = store.Tasks.PlanTask(args, Call("alice", "orchestrator_plan_task", "r-1"));
        await Assert.That(retry.Replay).IsNotNull();
        await Assert.That(Json(retry)).IsEqualTo(Json(first));
        await Assert.That(store.Dump()).IsEqualTo(afterFirst);

        store.Reopen();
        await Assert.That(Json(store.Tasks.PlanTask(args, Call("alice", "orchestrator_plan_task", "r-1")))).IsEqualTo(Json(first));
        await Assert.That(store.Dump()).IsEqualTo(afterFirst);
        await Assert.That(store.Tasks.QueryTasks(new QueryTasksArgs()).Ok().Tasks.Count).IsEqualTo(1);
    }

    [Test]
    public async Task The_same_request_id_with_other_arguments_or_another_tool_is_refused_and_changes_nothing()
    {
        using var store = new OrchestrationStore();
        var session = store.Session();
        var args = new PlanTaskArgs { SessionId = session, Title = "T", Subtasks = [Plans.Step("a", "architect")] };
        store.Tasks.PlanTask(args, Call("alice", "orchestrator_plan_task", "r-1")).Ok();
        var before = store.Dump();
        var other = store.Tasks.PlanTask(args with { Title = "U" }, Call("alice", "orchestrator_plan_task", "r-1", fingerprint: "f2")).Err();
        await Assert.That(other.Code).IsEqualTo(ErrorCode.InvalidParameters);
        await Assert.That(other.Message).Contains("request_id");
        var tool = store.Tasks.InitializeSession(new InitializeSessionArgs(), Call("alice", "orchestrator_initialize_session", "r-1")).Err();
        await Assert.That(tool.Code).IsEqualTo(ErrorCode.InvalidParameters);
        await Assert.That(store.Dump()).IsEqualTo(before);
    }

    [Test]
    public async Task Request_ids_are_kept_per_client_and_for_24_hours()
    {
        using var store = new OrchestrationStore();
        var session = store.Session();
        var args = new PlanTaskArgs { SessionId = session, Title = "T", Subtasks = [Plans.Step("a", "architect")] };
        store.Tasks.PlanTask(args, Call("alice", "orchestrator_plan_task", "r-1")).Ok();
        // Another client's r-1 is another call.
        await Assert.That(store.Tasks.PlanTask(args, Call("bob", "orchestrator_plan_task", "r-1")).Replay).IsNull();
        store.Clock.Advance(TimeSpan.FromHours(24));
        var later = store.Tasks.PlanTask(args, Call("alice", "orchestrator_plan_task", "r-1"));
        await Assert.That(later.Replay).IsNull();
        await Assert.That(later.Result).IsNotNull();
        await Assert.That(store.Tasks.QueryTasks(new QueryTasksArgs()).Ok().Tasks.Count).IsEqualTo(3);
    }

    [Test]
    public async Task A_refused_call_keeps_no_answer_so_its_retry_is_judged_afresh()
    {
        using var store = new OrchestrationStore();
        var design = store.Diamond(store.Session()).Id("design");
        var complete = new CompleteSubtaskArgs { SubtaskId = design, Summary = "s", DetailedWork = "w" };
        await Assert.That(store.Tasks.CompleteSubtask(complete, Call("alice", "orchestrator_complete_subtask", "c-1")).Err().Code).IsEqualTo(ErrorCode.InvalidState);
        store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = design }, new TaskCaller("alice")).Ok();
        var done = store.Tasks.CompleteSubtask(complete, Call("alice", "orchestrator_complete_subtask", "c-1"));
        await Assert.That(done.Result!.Subtask.Status).IsEqualTo(SubtaskStatus.Completed);
    }
}
