using Orchestrator.Tooling;

namespace Orchestrator.Orchestration.Contract;

[McpTool("orchestrator_plan_task",
    Description = "Store a task and its breakdown into subtasks (specialist role, dependencies on sibling subtasks, complexity, effort, review gate), with a priority and tags; rejects dependency cycles, unknown roles and unknown dependencies",
    Result = typeof(PlanTaskResult), Group = "tasks", Idempotent = true)]
public sealed partial record PlanTaskArgs
{
    [Describe("Session from orchestrator_initialize_session")]
    public required string SessionId { get; init; }

    [Describe("What the task achieves")]
    public required string Title { get; init; }

    [Describe("The goal in detail; given to every specialist")]
    public string Description { get; init; } = "";

    public Complexity Complexity { get; init; } = Complexity.Medium;

    [Describe("How urgent the task is; orchestrator_next_subtasks ranks by it first")]
    public Priority Priority { get; init; } = Priority.Medium;

    [Describe("Free labels to filter by (orchestrator_query_tasks); at most 20, each 1-40 characters, stored in lower case")]
    public IReadOnlyList<string> Tags { get; init; } = [];

    [Describe("The subtasks, in order (1 to 50)", MaxItems = Limits.MaxSubtasks)]
    public required IReadOnlyList<PlannedSubtask> Subtasks { get; init; }
}

[McpModel]
public sealed partial record PlannedSubtask
{
    [Describe("Name siblings use in depends_on; defaults to the subtask's 1-based position (\"1\", \"2\", ...)")]
    public string? Key { get; init; }

    public required string Title { get; init; }

    public string Description { get; init; } = "";

    [Describe("Specialist role (see orchestrator_initialize_session)")]
    public required string Role { get; init; }

    [Describe("Keys of sibling subtasks that must be completed first (orchestrator_revise_plan also takes subtask ids)", MaxItems = Limits.MaxSubtasks)]
    public IReadOnlyList<string> DependsOn { get; init; } = [];

    public Complexity Complexity { get; init; } = Complexity.Medium;

    [Describe("Free-form effort estimate, e.g. \"2h\" (at most 100 characters)")]
    public string? EstimatedEffort { get; init; }

    [Describe("Completion waits for orchestrator_review_subtask to approve it (status needs_review until then)")]
    public bool ReviewRequired { get; init; }
}

public sealed partial record PlanTaskResult
{
    public required TaskView Task { get; init; }
    public required IReadOnlyList<SubtaskView> Subtasks { get; init; }

    [Describe("Subtasks that can be executed now (no dependencies)")]
    public required IReadOnlyList<SubtaskRef> Ready { get; init; }

    [Describe("Set when this answer was cut to fit the answer budget: what was cut and where to read the rest")]
    public string? Truncated { get; init; }
}
