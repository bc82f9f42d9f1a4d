using Orchestrator.Tooling;

namespace Orchestrator.Orchestration.Contract;

[McpTool("orchestrator_execute_subtask",
    Description = "Start a subtask: returns the specialist's prompt, the parent goal and the results of the subtasks it depends on, and marks it in progress; refuses while dependencies are not completed",
    Result = typeof(ExecuteSubtaskResult), Group = "tasks")]
public sealed partial record ExecuteSubtaskArgs
{
    public required string SubtaskId { get; init; }
}

public sealed partial record ExecuteSubtaskResult
{
    public required SubtaskView Subtask { get; init; }

    [Describe("True when the subtask was already in progress (the context is given again, nothing changed)")]
    public required bool AlreadyInProgress { get; init; }

    [Describe("The specialist's prompt")]
    public required string RolePrompt { get; init; }

    [Describe("The parent task's title and description")]
    public required string Goal { get; init; }

    public required string TaskId { get; init; }

    [Describe("Results of the subtasks this one depends on")]
    public required IReadOnlyList<DependencyResult> DependencyResults { get; init; }

    [Describe("What to do, and how to report back")]
    public required string Instructions { get; init; }
}

[McpModel]
public sealed partial record DependencyResult
{
    public required string SubtaskId { get; init; }
    public required string Title { get; init; }
    public required string Role { get; init; }
    public required string Summary { get; init; }

    [Describe("The detailed work (artifact content)")]
    public required string DetailedWork { get; init; }

    public required IReadOnlyList<string> FilePaths { get; init; }
    public ArtifactType? ArtifactType { get; init; }
    public string? NextAction { get; init; }
}
