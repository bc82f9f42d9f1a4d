using Orchestrator.Tooling;

namespace Orchestrator.Orchestration.Contract;

[McpTool("orchestrator_release_subtask",
    Description = "Give a subtask in progress back: it returns to pending, ready for any agent, and its claim ends. Only the holder may release while its lease runs",
    Result = typeof(ReleaseSubtaskResult), Group = "tasks", Idempotent = true)]
public sealed partial record ReleaseSubtaskArgs
{
    public required string SubtaskId { get; init; }

    [Describe("The agent holding the subtask (1-200 characters); by default the client's name")]
    public string? Agent { get; init; }

    [Describe("Why it is given back (at most 20000 characters); kept as the subtask's revision notes for the next agent")]
    public string? Reason { get; init; }
}

public sealed partial record ReleaseSubtaskResult
{
    public required SubtaskView Subtask { get; init; }

    [Describe("The agent whose claim ended")]
    public required string ReleasedBy { get; init; }

    [Describe("Status of the parent task")]
    public required TaskState TaskStatus { get; init; }
}
