using Orchestrator.Tooling;

namespace Orchestrator.Orchestration.Contract;

[McpTool("orchestrator_update_task",
    Description = "Change the title, description, complexity, priority or tags of a task that is not completed or cancelled (its subtasks: orchestrator_revise_plan)",
    Result = typeof(UpdateTaskResult), Group = "tasks", Idempotent = true)]
public sealed partial record UpdateTaskArgs
{
    public required string TaskId { get; init; }
    public string? Title { get; init; }
    public string? Description { get; init; }
    public Complexity? Complexity { get; init; }
    public Priority? Priority { get; init; }

    [Describe("The task's tags, replacing the ones it has (an empty list removes them all)")]
    public IReadOnlyList<string>? Tags { get; init; }
}

public sealed partial record UpdateTaskResult
{
    public required TaskView Task { get; init; }

    [Describe("Names of the fields that changed")]
    public required IReadOnlyList<string> Changed { get; init; }

    [Describe("Set when this answer was cut to fit the answer budget: what was cut and where to read the rest")]
    public string? Truncated { get; init; }
}
