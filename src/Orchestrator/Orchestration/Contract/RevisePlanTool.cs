using Orchestrator.Tooling;

namespace Orchestrator.Orchestration.Contract;

[McpTool("orchestrator_revise_plan",
    Description = "Revise a stored plan in one all-or-nothing call: add subtasks, remove ones not started, change a not-started subtask's title, description, role, complexity, effort, review gate or depends_on (keys or ids), and reorder; same checks as orchestrator_plan_task. Says what changed and which subtasks are ready",
    Result = typeof(RevisePlanResult), Group = "tasks", Idempotent = true)]
public sealed partial record RevisePlanArgs
{
    public required string TaskId { get; init; }

    [Describe("New subtasks, placed after the others (unless order says otherwise); their depends_on takes keys or ids of any subtask of the task, new ones included")]
    public IReadOnlyList<PlannedSubtask> Add { get; init; } = [];

    [Describe("Keys or ids of subtasks to remove: pending, failed or blocked ones without a result. One that others depend on only if this call rewires those (change depends_on) or removes them too")]
    public IReadOnlyList<string> Remove { get; init; } = [];

    [Describe("Changes to subtasks not started or to be redone (pending, failed, blocked, needs_revision): a subtask in progress or completed keeps what it consumed")]
    public IReadOnlyList<SubtaskChange> Change { get; init; } = [];

    [Describe("The new order: the key or id of every subtask the task has after this call, each once")]
    public IReadOnlyList<string>? Order { get; init; }
}

/// <summary>The fields of one subtask a revision changes; absent fields stay as they are.</summary>
[McpModel]
public sealed partial record SubtaskChange
{
    [Describe("Key or id of the subtask to change")]
    public required string Subtask { get; init; }

    public string? Title { get; init; }
    public string? Description { get; init; }
    public string? Role { get; init; }
    public Complexity? Complexity { get; init; }
    public string? EstimatedEffort { get; init; }
    public bool? ReviewRequired { get; init; }

    [Describe("Replaces its dependencies: keys or ids of sibling subtasks (new ones included)")]
    public IReadOnlyList<string>? DependsOn { get; init; }
}

public sealed partial record RevisePlanResult
{
    public required TaskView Task { get; init; }

    public required IReadOnlyList<SubtaskRef> Added { get; init; }
    public required IReadOnlyList<SubtaskRef> Removed { get; init; }

    [Describe("Subtasks changed, each with the names of its fields that changed")]
    public required IReadOnlyList<ChangedSubtask> Changed { get; init; }

    [Describe("Whether subtasks moved in the plan's order")]
    public required bool Reordered { get; init; }

    [Describe("Every subtask of the task that can be executed now")]
    public required IReadOnlyList<SubtaskRef> Ready { get; init; }

    [Describe("The plan as it now stands, in order")]
    public required IReadOnlyList<PlanStep> Plan { get; init; }

    [Describe("Set when this answer was cut to fit the answer budget: what was cut and where to read the rest")]
    public string? Truncated { get; init; }
}

/// <summary>A subtask a revision changed.</summary>
[McpModel]
public sealed partial record ChangedSubtask
{
    public required string Id { get; init; }
    public required string Key { get; init; }
    public required IReadOnlyList<string> Fields { get; init; }
}

/// <summary>One subtask of a plan, briefly: where it stands and what it waits on.</summary>
[McpModel]
public sealed partial record PlanStep
{
    public required int Position { get; init; }
    public required string Id { get; init; }
    public required string Key { get; init; }
    public required string Title { get; init; }
    public required SubtaskStatus Status { get; init; }

    [Describe("Keys of the subtasks it depends on")]
    public required IReadOnlyList<string> DependsOn { get; init; }
}
