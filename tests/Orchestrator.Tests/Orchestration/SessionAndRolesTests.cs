using Orchestrator.Orchestration;
using Orchestrator.Orchestration.Contract;
using Orchestrator.Tooling;

namespace Orchestrator.Tests.Orchestration;

/// <summary>orchestrator_initialize_session and the project roles file (.orchestrator/roles.json).</summary>
public class SessionAndRolesTests
{
    private static readonly string[] BuiltIn = ["architect", "implementer", "debugger", "tester", "reviewer", "documenter", "researcher"];

    [Test]
    public async Task A_session_is_created_for_the_default_directory_then_resumed()
    {
        using var store = new OrchestrationStore();
        var first = store.Tasks.InitializeSession(new InitializeSessionArgs()).Ok();
        await Assert.That(first.Resumed).IsFalse();
        await Assert.That(first.WorkingDirectory).IsEqualTo(store.WorkingDirectory);
        await Assert.That(first.Guidance).Contains("orchestrator_plan_task");
        await Assert.That(first.Roles.Select(r => r.Name)).IsEquivalentTo(BuiltIn);
        await Assert.That(first.Roles.All(r => r.Source == RoleSource.BuiltIn && r.Description.Length > 0)).IsTrue();
        await Assert.That(first.RolesFile).IsNull();

        var again = store.Tasks.InitializeSession(new InitializeSessionArgs { WorkingDirectory = store.WorkingDirectory + "/" }).Ok();
        await Assert.That(again.Resumed).IsTrue();
        await Assert.That(again.SessionId).IsEqualTo(first.SessionId);
        await Assert.That(again.CreatedAt).IsEqualTo(first.CreatedAt);
    }

    [Test]
    public async Task Every_built_in_role_has_a_real_prompt()
    {
        foreach (var role in BuiltInRoles.All)
        {
            await Assert.That(role.Prompt.Length).IsGreaterThan(300).Because(role.Name);
            await Assert.That(role.Prompt).Contains("Return").Because($"{role.Name} says what it returns");
            await Assert.That(role.Prompt).StartsWith($"You are the {role.Name}.");
        }
    }

    [Test]
    [Arguments("relative/path", "must be an absolute path")]
    [Arguments("/definitely/not/a/dir/anywhere", "does not exist")]
    [Arguments("  ", "must not be empty")]
    public async Task A_bad_working_directory_is_refused_and_creates_nothing(string directory, string problem)
    {
        using var store = new OrchestrationStore();
        var before = store.Dump();
        var error = store.Tasks.InitializeSession(new InitializeSessionArgs { WorkingDirectory = directory }).Err();
        await Assert.That(error.Code).IsEqualTo(ErrorCode.InvalidParameters);
        await Assert.That(error.Message).Contains("working_directory").And.Contains(problem);
        await Assert.That(store.Dump()).IsEqualTo(before);
    }

    [Test]
    public async Task A_project_file_overrides_and_adds_roles_which_plans_and_execution_use()
    {
        using var store = new OrchestrationStore();
        store.WriteRoles("""
            { "roles": {
                "implementer": { "prompt": "You implement in Rust only." },
                "security-auditor": { "description": "Audits for vulnerabilities.", "prompt": "You audit the change for vulnerabilities." }
            } }
            """);
        var session = store.Tasks.InitializeSession(new InitializeSessionArgs()).Ok();
        await Assert.That(session.RolesFile).IsEqualTo(Path.Combine(store.WorkingDirectory, ".orchestrator", "roles.json"));
        await Assert.That(session.Roles.Count).IsEqualTo(8);
        var implementer = session.Roles.Single(r => r.Name == "implementer");
        await Assert.That(implementer.Source).IsEqualTo(RoleSource.ProjectOverride);
        await Assert.That(implementer.Description).IsEqualTo(BuiltInRoles.All.Single(r => r.Name == "implementer").Description);
        await Assert.That(session.Roles[^1]).IsEqualTo(new RoleInfo { Name = "security-auditor", Description = "Audits for vulnerabilities.", Source = RoleSource.Project });

        var plan = store.Plan(session.SessionId, Plans.Step("a", "implementer"), Plans.Step("b", "security-auditor", "a"));
        var executed = store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = plan.Id("a") }).Ok();
        await Assert.That(executed.RolePrompt).IsEqualTo("You implement in Rust only.");
        store.Tasks.CompleteSubtask(new CompleteSubtaskArgs { SubtaskId = plan.Id("a"), Summary = "s", DetailedWork = "w" }).Ok();
        await Assert.That(store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = plan.Id("b") }).Ok().RolePrompt)
            .IsEqualTo("You audit the change for vulnerabilities.");
    }

    [Test]
    [Arguments("{ \"roles\": { ", "not valid JSON")]
    [Arguments("[1]", "the top level must be an object")]
    [Arguments("{ \"roles\": {}, \"extra\": 1 }", "unknown key \"extra\" at the top level")]
    [Arguments("{ }", "missing \"roles\" object")]
    [Arguments("{ \"roles\": [] }", "\"roles\" must be an object")]
    [Arguments("{ \"roles\": { \"Bad Name\": { \"description\": \"d\", \"prompt\": \"p\" } } }", "role \"Bad Name\": bad name")]
    [Arguments("{ \"roles\": { \"tester\": { \"prompt\": \"  \" } } }", "role \"tester\": field \"prompt\": must not be empty")]
    [Arguments("{ \"roles\": { \"tester\": { \"description\": \"d\" } } }", "role \"tester\": field \"prompt\": missing")]
    [Arguments("{ \"roles\": { \"tester\": { \"prompt\": 5 } } }", "role \"tester\": field \"prompt\": must be a string")]
    [Arguments("{ \"roles\": { \"tester\": { \"prompt\": \"p\", \"model\": \"x\" } } }", "role \"tester\": unknown field \"model\"")]
    [Arguments("{ \"roles\": { \"auditor\": { \"prompt\": \"p\" } } }", "role \"auditor\": field \"description\": missing")]
    [Arguments("{ \"roles\": { \"auditor\": \"p\" } }", "role \"auditor\": must be an object")]
    [Arguments("{ \"roles\": { \"qa\": { \"description\": \"d\", \"prompt\": \"p\" }, \"qa\": { \"description\": \"d\", \"prompt\": \"q\" } } }", "role \"qa\": defined more than once")]
    public async Task An_invalid_roles_file_is_refused_with_the_file_role_and_field_named(string json, string problem)
    {
        using var store = new OrchestrationStore();
        store.WriteRoles(json);
        var before = store.Dump();
        var error = store.Tasks.InitializeSession(new InitializeSessionArgs()).Err();
        await Assert.That(error.Code).IsEqualTo(ErrorCode.InvalidParameters);
        await Assert.That(error.Message).Contains(Path.Combine(store.WorkingDirectory, ".orchestrator", "roles.json"));
        await Assert.That(error.Message).Contains(problem);
        await Assert.That(store.Dump()).IsEqualTo(before);
    }

    [Test]
    public async Task Every_problem_of_a_roles_file_is_reported_at_once()
    {
        using var store = new OrchestrationStore();
        store.WriteRoles("""{ "roles": { "9x": { "prompt": "p" }, "tester": { "prompt": "" }, "ok": { "description": "d", "prompt": "p", "x": 1 } } }""");
        var error = store.Tasks.InitializeSession(new InitializeSessionArgs()).Err();
        await Assert.That(error.Details.Count).IsEqualTo(3);
        await Assert.That(error.Message).Contains("3 problems");
    }

    [Test]
    public async Task A_fixed_roles_file_is_picked_up_without_a_restart()
    {
        using var store = new OrchestrationStore();
        store.WriteRoles("{ \"roles\": { \"tester\": { \"prompt\": \"\" } } }");
        await Assert.That(store.Tasks.InitializeSession(new InitializeSessionArgs()).Err().Code).IsEqualTo(ErrorCode.InvalidParameters);
        store.WriteRoles("{ \"roles\": { \"tester\": { \"prompt\": \"Test thoroughly, please.\" } } }");
        var session = store.Tasks.InitializeSession(new InitializeSessionArgs()).Ok();
        await Assert.That(session.Roles.Single(r => r.Name == "tester").Source).IsEqualTo(RoleSource.ProjectOverride);
    }
}
