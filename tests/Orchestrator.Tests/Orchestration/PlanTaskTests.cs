using Orchestrator.Orchestration;
using Orchestrator.Orchestration.Contract;
using Orchestrator.Tooling;
using static Orchestrator.Tests.Orchestration.Plans;

namespace Orchestrator.Tests.Orchestration;

/// <summary>orchestrator_plan_task: a stored plan, and every refusal leaving the store unchanged.</summary>
public class PlanTaskTests
{
    [Test]
    public async Task A_plan_is_stored_with_ids_dependencies_and_the_ready_subtasks()
    {
        using var store = new OrchestrationStore();
        var session = store.Session();
        var plan = store.Diamond(session);
        await Assert.That(plan.Task.Status).IsEqualTo(TaskState.Planned);
        await Assert.That(plan.Task.SessionId).IsEqualTo(session);
        await Assert.That(plan.Task.Progress!.Pending).IsEqualTo(4);
        await Assert.That(plan.Subtasks.Select(s => s.Key)).IsEquivalentTo(["design", "code", "tests", "review"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(plan.Subtasks.Select(s => s.Position)).IsEquivalentTo([1, 2, 3, 4], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(plan.Subtasks.Single(s => s.Key == "review").DependsOn).IsEquivalentTo([plan.Id("code"), plan.Id("tests")]);
        await Assert.That(plan.Ready.Select(r => r.Id)).IsEquivalentTo([plan.Id("design")]);
        await Assert.That(plan.Subtasks.All(s => s.Status == SubtaskStatus.Pending && s.Id.StartsWith("sub_", StringComparison.Ordinal))).IsTrue();

        var status = store.Tasks.GetStatus(new GetStatusArgs { TaskId = plan.Task.Id }).Ok();
        await Assert.That(status.Subtasks!.Select(s => s.Id)).IsEquivalentTo(plan.Subtasks.Select(s => s.Id), TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(status.Subtasks!.Single(s => s.Key == "review").DependsOn).IsEquivalentTo(plan.Subtasks.Single(s => s.Key == "review").DependsOn);
    }

    [Test]
    public async Task Keys_default_to_positions_and_a_subtask_may_depend_on_a_later_one()
    {
        using var store = new OrchestrationStore();
        var plan = store.Tasks.PlanTask(new PlanTaskArgs
        {
            SessionId = store.Session(), Title = "t",
            Subtasks = [new() { Title = "second", Role = "tester", DependsOn = ["2"] }, new() { Title = "first", Role = "implementer" }],
        }).Ok();
        await Assert.That(plan.Subtasks.Select(s => s.Key)).IsEquivalentTo(["1", "2"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(plan.Subtasks[0].DependsOn).IsEquivalentTo([plan.Subtasks[1].Id]);
        await Assert.That(plan.Ready.Single().Title).IsEqualTo("first");
    }

    public static IEnumerable<Func<(string Name, PlannedSubtask[] Steps, string Field, string Problem)>> BadPlans()
    {
        yield return () => ("self", [Step("a", "architect", "a")], "subtasks", "subtask \"a\" depends on itself");
        yield return () => ("two-cycle", [Step("a", "architect", "b"), Step("b", "tester", "a")], "subtasks", "dependency cycle \"a\" → \"b\" → \"a\"");
        yield return () => ("long-cycle", [Step("x", "architect"), Step("a", "architect", "c"), Step("b", "tester", "a"), Step("c", "reviewer", "b")],
            "subtasks", "dependency cycle \"a\" → \"c\" → \"b\" → \"a\"");
        yield return () => ("unknown-role", [Step("a", "wizard")], "subtasks[0].role", "unknown role \"wizard\" (available: architect, implementer");
        yield return () => ("unknown-dependency", [Step("a", "architect"), Step("b", "tester", "nope")], "subtasks[1].depends_on[0]", "unknown dependency \"nope\"");
        yield return () => ("duplicate-key", [Step("a", "architect"), Step("a", "tester")], "subtasks[1].key", "\"a\" is already the key of subtasks[0]");
        yield return () => ("bad-key", [Step("a b", "architect")], "subtasks[0].key", "\"a b\" must match ^[A-Za-z0-9]");
        yield return () => ("duplicate-dependency", [Step("a", "architect"), Step("b", "tester", "a", "a")], "subtasks[1].depends_on[1]", "\"a\" is listed twice");
        yield return () => ("blank-title", [Step("a", "architect") with { Title = " " }], "subtasks[0].title", "must not be empty");
        yield return () => ("empty", [], "subtasks", "must list at least one subtask");
    }

    [Test]
    [MethodDataSource(nameof(BadPlans))]
    public async Task A_bad_plan_is_refused_naming_the_field_and_stores_nothing((string Name, PlannedSubtask[] Steps, string Field, string Problem) bad)
    {
        using var store = new OrchestrationStore();
        var session = store.Session();
        var before = store.Dump();
        var error = store.Tasks.PlanTask(new PlanTaskArgs { SessionId = session, Title = "t", Subtasks = bad.Steps }).Err();
        await Assert.That(error.Code).IsEqualTo(ErrorCode.InvalidParameters).Because(bad.Name);
        await Assert.That(error.Message).Contains($"{bad.Field}: {bad.Problem}").Because(bad.Name);
        await Assert.That(error.Phase).IsEqualTo("plan_task");
        await Assert.That(store.Dump()).IsEqualTo(before);
    }

    [Test]
    public async Task An_unknown_session_is_not_found_and_a_blank_title_is_invalid()
    {
        using var store = new OrchestrationStore();
        var session = store.Session();
        var before = store.Dump();
        var missing = store.Tasks.PlanTask(new PlanTaskArgs { SessionId = "sess_nope", Title = "t", Subtasks = [Step("a", "architect")] }).Err();
        await Assert.That(missing.Code).IsEqualTo(ErrorCode.NotFound);
        await Assert.That(missing.Message).IsEqualTo("Unknown session id \"sess_nope\"");
        var blank = store.Tasks.PlanTask(new PlanTaskArgs { SessionId = session, Title = "  ", Subtasks = [Step("a", "architect")] }).Err();
        await Assert.That(blank.Message).Contains("title: must not be empty");
        await Assert.That(store.Dump()).IsEqualTo(before);
    }

    [Test]
    public async Task Too_many_subtasks_are_refused()
    {
        using var store = new OrchestrationStore();
        var steps = Enumerable.Range(1, Limits.MaxSubtasks + 1).Select(i => Step("s" + i, "implementer")).ToArray();
        var error = store.Tasks.PlanTask(new PlanTaskArgs { SessionId = store.Session(), Title = "t", Subtasks = steps }).Err();
        await Assert.That(error.Message).Contains($"at most {Limits.MaxSubtasks} subtasks");
    }

    [Test]
    public async Task The_generated_parser_reads_a_plan_from_json_arguments()
    {
        using var document = System.Text.Json.JsonDocument.Parse("""
            { "session_id": "s", "title": "t", "complexity": "high",
              "subtasks": [ { "key": "a", "title": "A", "role": "architect", "estimated_effort": "2h" }, { "title": "B", "role": "tester", "depends_on": ["a"], "complexity": "low" } ] }
            """);
        var arguments = document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
        var errors = new ArgumentErrors();
        await Assert.That(PlanTaskArgs.TryParse(arguments, out var args, errors)).IsTrue();
        await Assert.That(args!.Complexity).IsEqualTo(Complexity.High);
        await Assert.That(args.Subtasks[0].EstimatedEffort).IsEqualTo("2h");
        await Assert.That(args.Subtasks[1].DependsOn).IsEquivalentTo(["a"]);
        await Assert.That(args.Subtasks[1].Complexity).IsEqualTo(Complexity.Low);
        await Assert.That(args.Subtasks[1].Description).IsEqualTo("");
    }
}
