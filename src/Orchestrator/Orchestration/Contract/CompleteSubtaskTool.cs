using Orchestrator.Tooling;

namespace Orchestrator.Orchestration.Contract;

[McpTool("orchestrator_complete_subtask",
    Description = "Record a subtask's result (summary, detailed work kept as an artifact, file paths, artifact type, next action) and tell which subtasks became ready; a subtask with review_required waits in needs_review for orchestrator_review_subtask",
    Result = typeof(CompleteSubtaskResult), Group = "tasks", Idempotent = true)]
public sealed partial record CompleteSubtaskArgs
{
    public required string SubtaskId { get; init; }

    [Describe("The agent completing it (1-200 characters); by default the client's name. Refused while another agent's lease on the subtask runs")]
    public string? Agent { get; init; }

    [Describe("A few sentences on what was done")]
    public required string Summary { get; init; }

    [Describe("The full work product; stored as the subtask's artifact and given to dependent subtasks")]
    public required string DetailedWork { get; init; }

    [Describe("Files created or changed (at most 200, each at most 4096 characters)")]
    public IReadOnlyList<string> FilePaths { get; init; } = [];

    public ArtifactType ArtifactType { get; init; } = ArtifactType.Other;

    [Describe("What should happen next, in the specialist's view (at most 2000 characters)")]
    public string? NextAction { get; init; }
}

public sealed partial record CompleteSubtaskResult
{
    public required SubtaskView Subtask { get; init; }
    public required string ArtifactId { get; init; }

    [Describe("Subtasks whose dependencies this completion satisfied")]
    public required IReadOnlyList<SubtaskRef> NewlyReady { get; init; }

    [Describe("Status of the parent task (completed once every subtask not cancelled is completed)")]
    public required TaskState TaskStatus { get; init; }

    public required TaskProgress Progress { get; init; }

    [Describe("Set when this answer was cut to fit the answer budget: what was cut and where to read the rest")]
    public string? Truncated { get; init; }
}
