using Orchestrator.Orchestration;
using Orchestrator.Orchestration.Contract;

namespace Orchestrator.Tests.Orchestration;

/// <summary>Short ways to write plans in tests.</summary>
internal static class Plans
{
    public static PlannedSubtask Step(string key, string role, params string[] dependsOn) =>
        new() { Key = key, Title = $"Step {key}", Description = $"Do {key}", Role = role, DependsOn = dependsOn };

    public static string Session(this OrchestrationStore store) => store.Tasks.InitializeSession(new InitializeSessionArgs()).Ok().SessionId;

    public static PlanTaskResult Plan(this OrchestrationStore store, string sessionId, params PlannedSubtask[] steps) =>
        store.Tasks.PlanTask(new PlanTaskArgs { SessionId = sessionId, Title = "Build the feature", Description = "The goal in detail", Subtasks = steps }).Ok();

    /// <summary>design → (code, tests) → review: the diamond most tests use.</summary>
    public static PlanTaskResult Diamond(this OrchestrationStore store, string sessionId) => store.Plan(sessionId,
        Step("design", "architect"), Step("code", "implementer", "design"), Step("tests", "tester", "design"), Step("review", "reviewer", "code", "tests"));

    public static string Id(this PlanTaskResult plan, string key) => plan.Subtasks.Single(s => s.Key == key).Id;

    public static CompleteSubtaskResult Finish(this OrchestrationStore store, string subtaskId, string work = "the work")
    {
        store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = subtaskId }).Ok();
        return store.Tasks.CompleteSubtask(new CompleteSubtaskArgs
        {
            SubtaskId = subtaskId, Summary = "summary of " + work, DetailedWork = work, FilePaths = ["src/" + work + ".cs"], ArtifactType = ArtifactType.Code,
        }).Ok();
    }
}
