using Orchestrator.Tooling;

namespace Orchestrator.Orchestration.Contract;

[McpTool("orchestrator_cancel_task",
    Description = "Cancel a task: unfinished subtasks are cancelled, completed subtasks and their artifacts are kept",
    Result = typeof(CancelTaskResult), Group = "tasks", Idempotent = true)]
public sealed partial record CancelTaskArgs
{
    public required string TaskId { get; init; }

    [Describe("Why (at most 20000 characters)")]
    public string? Reason { get; init; }
}

public sealed partial record CancelTaskResult
{
    public required TaskView Task { get; init; }

    [Describe("Subtasks cancelled by this call")]
    public required IReadOnlyList<SubtaskRef> CancelledSubtasks { get; init; }

    [Describe("Completed subtasks, kept with their results")]
    public required IReadOnlyList<SubtaskRef> PreservedSubtasks { get; init; }

    [Describe("Set when this answer was cut to fit the answer budget: what was cut and where to read the rest")]
    public string? Truncated { get; init; }
}
