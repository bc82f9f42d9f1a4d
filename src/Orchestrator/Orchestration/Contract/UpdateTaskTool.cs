using Orchestrator.Tooling;

namespace Orchestrator.Orchestration.Contract;

[McpTool("orchestrator_update_task",
    Description = "Change the title, description or complexity of a task that is not completed or cancelled",
    Result = typeof(UpdateTaskResult), Group = "tasks")]
public sealed partial record UpdateTaskArgs
{
    public required string TaskId { get; init; }
    public string? Title { get; init; }
    public string? Description { get; init; }
    public Complexity? Complexity { get; init; }
}

public sealed partial record UpdateTaskResult
{
    public required TaskView Task { get; init; }

    [Describe("Names of the fields that changed")]
    public required IReadOnlyList<string> Changed { get; init; }
}
