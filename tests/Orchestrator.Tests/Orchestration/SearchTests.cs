using Orchestrator.Orchestration;
using Orchestrator.Orchestration.Contract;
using Orchestrator.Tooling;
using static Orchestrator.Tests.Orchestration.Plans;

namespace Orchestrator.Tests.Orchestration;

/// <summary>Ranked full-text search (FTS5) in orchestrator_query_tasks, and the priority and tag filters.</summary>
public class SearchTests
{
    [Test]
    public async Task Text_finds_tasks_by_their_own_and_their_subtasks_text_best_match_first_with_a_snippet()
    {
        using var store = new OrchestrationStore();
        var session = store.Session();
        var titled = store.Tasks.PlanTask(new PlanTaskArgs { SessionId = session, Title = "Streaming parser", Description = "Parse documents", Subtasks = [Step("a", "tester")] }).Ok();
        var described = store.Tasks.PlanTask(new PlanTaskArgs
        {
            SessionId = session, Title = "Importer", Description = "Reads exports; uses the streaming parser written last week",
            Subtasks = [Step("a", "tester")],
        }).Ok();
        var inSubtask = store.Tasks.PlanTask(new PlanTaskArgs
        {
            SessionId = session, Title = "Release", Subtasks = [new PlannedSubtask { Key = "notes", Title = "Write notes", Description = "Mention the parsers", Role = "documenter" }],
        }).Ok();
        var summarized = store.Plan(session, Step("x", "researcher"));
        store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = summarized.Id("x") }).Ok();
        store.Tasks.CompleteSubtask(new CompleteSubtaskArgs { SubtaskId = summarized.Id("x"), Summary = "Benchmarked two parser libraries", DetailedWork = "w" }).Ok();
        store.Plan(session, Step("unrelated", "tester"));

        var found = store.Tasks.QueryTasks(new QueryTasksArgs { Text = "parser" }).Ok();
        // The title match ranks first; "parsers" matches through stemming.
        await Assert.That(found.Tasks.Select(t => t.Id)).IsEquivalentTo([titled.Task.Id, described.Task.Id, inSubtask.Task.Id, summarized.Task.Id]);
        await Assert.That(found.Tasks[0].Id).IsEqualTo(titled.Task.Id);
        await Assert.That(found.Tasks[0].Match!.Snippet).IsEqualTo("Streaming [parser]");
        await Assert.That(found.Tasks[0].Match!.SubtaskId).IsNull();
        var viaSubtask = found.Tasks.Single(t => t.Id == inSubtask.Task.Id).Match!;
        await Assert.That(viaSubtask.SubtaskId).IsEqualTo(inSubtask.Id("notes"));
        await Assert.That(viaSubtask.Snippet).Contains("[parsers]");
        await Assert.That(found.Tasks.Single(t => t.Id == summarized.Task.Id).Match!.Snippet).Contains("[parser]");

        var phrase = store.Tasks.QueryTasks(new QueryTasksArgs { Text = "\"streaming parser\" AND week" }).Ok();
        await Assert.That(phrase.Tasks.Single().Id).IsEqualTo(described.Task.Id);
        var prefix = store.Tasks.QueryTasks(new QueryTasksArgs { Text = "impor*" }).Ok();
        await Assert.That(prefix.Tasks.Single().Id).IsEqualTo(described.Task.Id);
        var titles = store.Tasks.QueryTasks(new QueryTasksArgs { Text = "title: parser" }).Ok();
        await Assert.That(titles.Tasks.Single().Id).IsEqualTo(titled.Task.Id);

        // Pages continue where the last one stopped, in rank order.
        var first = store.Tasks.QueryTasks(new QueryTasksArgs { Text = "parser", Limit = 2 }).Ok();
        var second = store.Tasks.QueryTasks(new QueryTasksArgs { Text = "parser", Limit = 2, Offset = first.NextOffset!.Value }).Ok();
        await Assert.That(first.Tasks.Concat(second.Tasks).Select(t => t.Id)).IsEquivalentTo(found.Tasks.Select(t => t.Id), TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(second.HasMore).IsFalse();
    }

    [Test]
    public async Task Edits_reach_the_index_and_a_search_the_index_cannot_parse_is_invalid_parameters_changing_nothing()
    {
        using var store = new OrchestrationStore();
        var plan = store.Diamond(store.Session());
        await Assert.That(store.Tasks.QueryTasks(new QueryTasksArgs { Text = "zeppelin" }).Ok().Tasks).IsEmpty();
        store.Tasks.UpdateTask(new UpdateTaskArgs { TaskId = plan.Task.Id, Title = "Zeppelin telemetry" }).Ok();
        await Assert.That(store.Tasks.QueryTasks(new QueryTasksArgs { Text = "zeppelin" }).Ok().Tasks.Single().Id).IsEqualTo(plan.Task.Id);
        store.Tasks.RevisePlan(new RevisePlanArgs { TaskId = plan.Task.Id, Change = [new SubtaskChange { Subtask = "tests", Description = "Fuzz the airship decoder" }] }).Ok();
        await Assert.That(store.Tasks.QueryTasks(new QueryTasksArgs { Text = "airship" }).Ok().Tasks.Single().Match!.SubtaskId).IsEqualTo(plan.Id("tests"));
        store.Tasks.RevisePlan(new RevisePlanArgs { TaskId = plan.Task.Id, Remove = ["tests"], Change = [new SubtaskChange { Subtask = "review", DependsOn = ["code"] }] }).Ok();
        await Assert.That(store.Tasks.QueryTasks(new QueryTasksArgs { Text = "airship" }).Ok().Tasks).IsEmpty();

        var before = store.Dump();
        foreach (var bad in new[] { "\"unbalanced", "a AND", "(a OR", "nosuchcolumn: x", "*", "100%" })
        {
            var error = store.Tasks.QueryTasks(new QueryTasksArgs { Text = bad }).Err();
            await Assert.That(error.Code).IsEqualTo(ErrorCode.InvalidParameters).Because(bad);
            await Assert.That(error.Details.Single()).StartsWith("text: not a valid search (").Because(bad);
        }
        await Assert.That(store.Dump()).IsEqualTo(before);
    }

    [Test]
    public async Task Priority_and_tags_are_stored_shown_filtered_and_updated()
    {
        using var store = new OrchestrationStore();
        var session = store.Session();
        var urgent = store.Tasks.PlanTask(new PlanTaskArgs { SessionId = session, Title = "Urgent", Priority = Priority.Critical, Tags = [" Backend ", "API", "api"], Subtasks = [Step("a", "tester")] }).Ok();
        var later = store.Tasks.PlanTask(new PlanTaskArgs { SessionId = session, Title = "Later", Tags = ["backend"], Subtasks = [Step("a", "tester")] }).Ok();
        await Assert.That(urgent.Task.Tags).IsEquivalentTo(["api", "backend"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(urgent.Task.Priority).IsEqualTo(Priority.Critical);
        await Assert.That(later.Task.Priority).IsEqualTo(Priority.Medium);

        await Assert.That(store.Tasks.QueryTasks(new QueryTasksArgs { Tags = ["backend"] }).Ok().Tasks.Count).IsEqualTo(2);
        await Assert.That(store.Tasks.QueryTasks(new QueryTasksArgs { Tags = ["backend", "API"] }).Ok().Tasks.Single().Id).IsEqualTo(urgent.Task.Id);
        await Assert.That(store.Tasks.QueryTasks(new QueryTasksArgs { Priority = Priority.Medium }).Ok().Tasks.Single().Id).IsEqualTo(later.Task.Id);
        await Assert.That(store.Tasks.QueryTasks(new QueryTasksArgs { Priority = Priority.Critical, Text = "urgent", Tags = ["api"] }).Ok().Tasks.Single().Id).IsEqualTo(urgent.Task.Id);

        var updated = store.Tasks.UpdateTask(new UpdateTaskArgs { TaskId = later.Task.Id, Tags = ["frontend"], Priority = Priority.Low }).Ok();
        await Assert.That(updated.Changed).IsEquivalentTo(["priority", "tags"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(updated.Task.Tags).IsEquivalentTo(["frontend"]);
        await Assert.That(store.Tasks.QueryTasks(new QueryTasksArgs { Tags = ["backend"] }).Ok().Tasks.Single().Id).IsEqualTo(urgent.Task.Id);

        var before = store.Dump();
        var bad = store.Tasks.PlanTask(new PlanTaskArgs { SessionId = session, Title = "Bad", Tags = ["has space", "", new string('t', 41)], Subtasks = [Step("a", "tester")] }).Err();
        await Assert.That(bad.Details).IsEquivalentTo([
            "tags[0]: \"has space\" must not contain spaces, control characters or commas", "tags[1]: must not be empty", "tags[2]: longer than 40 characters",
        ], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        var tooMany = store.Tasks.UpdateTask(new UpdateTaskArgs { TaskId = urgent.Task.Id, Tags = Enumerable.Range(0, 21).Select(i => $"t{i}").ToList() }).Err();
        await Assert.That(tooMany.Details).IsEquivalentTo(["tags: at most 20 tags, got 21"]);
        await Assert.That(store.Dump()).IsEqualTo(before);
    }
}
