using Orchestrator.Tooling;

namespace Orchestrator.Orchestration.Contract;

[McpTool("orchestrator_get_status",
    Description = "Progress of active tasks (optionally also completed ones), or of one task with its subtasks",
    Result = typeof(GetStatusResult), Group = "tasks")]
public sealed partial record GetStatusArgs
{
    [Describe("Only this session's tasks")]
    public string? SessionId { get; init; }

    [Describe("One task, with its subtasks")]
    public string? TaskId { get; init; }

    [Describe("Also list completed tasks")]
    public bool IncludeCompleted { get; init; }

    [Describe("Most tasks listed, most recently updated first", Minimum = 1, Maximum = 100)]
    public int Limit { get; init; } = 20;

    [Describe("With task_id: subtasks to skip, for the rest of a list the answer budget cut short", Minimum = 0, Maximum = 50)]
    public int SubtaskOffset { get; init; }
}

public sealed partial record GetStatusResult
{
    public required IReadOnlyList<TaskView> Tasks { get; init; }

    [Describe("Subtasks of the requested task_id, in plan order from subtask_offset")]
    public IReadOnlyList<SubtaskView>? Subtasks { get; init; }

    [Describe("With task_id, when the subtasks listed stop short of the last one: the subtask_offset that lists the rest")]
    public int? NextSubtaskOffset { get; init; }

    [Describe("Whether more tasks match than were listed (orchestrator_query_tasks pages through them)")]
    public required bool HasMore { get; init; }

    [Describe("Subtasks in progress across all tasks")]
    public required int SubtasksInProgress { get; init; }

    [Describe("The first 20 subtasks in progress across all tasks that nobody may be working on: lease expired, server died, or unclaimed (claim them again with orchestrator_execute_subtask once their lease has ended); orchestrator_health_check counts them all")]
    public required IReadOnlyList<StaleClaimView> StaleClaims { get; init; }

    public required DateTimeOffset Timestamp { get; init; }

    [Describe("Set when this answer was cut to fit the answer budget: what was cut and where to read the rest")]
    public string? Truncated { get; init; }
}
