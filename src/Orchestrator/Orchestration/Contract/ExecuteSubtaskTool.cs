using Orchestrator.Tooling;

namespace Orchestrator.Orchestration.Contract;

[McpTool("orchestrator_execute_subtask",
    Description = "Start a subtask: returns the specialist's prompt, the parent goal, the results of the subtasks it depends on and any revision notes, marks it in progress and claims it for the agent with a lease; refuses while dependencies are not completed or while another agent's lease on it runs",
    Result = typeof(ExecuteSubtaskResult), Group = "tasks", Idempotent = true)]
public sealed partial record ExecuteSubtaskArgs
{
    public required string SubtaskId { get; init; }

    [Describe("Who works on it (1-200 characters); by default the client's name (clientInfo.name)")]
    public string? Agent { get; init; }

    [Describe("How long the claim lasts unless renewed (orchestrator_renew_lease) or released, in seconds; wall clock, restarts neither end nor extend it",
        Minimum = 1, Maximum = 86400)]
    public int LeaseSeconds { get; init; } = 900;
}

public sealed partial record ExecuteSubtaskResult
{
    public required SubtaskView Subtask { get; init; }

    [Describe("True when the subtask was already in progress for this agent (the context is given again, nothing changed)")]
    public required bool AlreadyInProgress { get; init; }

    [Describe("The agent's claim on the subtask and when its lease ends")]
    public required ClaimView Claim { get; init; }

    [Describe("The specialist's prompt")]
    public required string RolePrompt { get; init; }

    [Describe("The parent task's title and description")]
    public required string Goal { get; init; }

    public required string TaskId { get; init; }

    [Describe("Why this subtask is done again and what to change: review notes, or why it was reopened, retried or unblocked")]
    public string? RevisionNotes { get; init; }

    [Describe("Results of the subtasks this one depends on: summary, file paths, and the detailed work (whole when it fits the answer budget, else its beginning and its artifact_id to read the rest)")]
    public required IReadOnlyList<DependencyResult> DependencyResults { get; init; }

    [Describe("What to do, and how to report back")]
    public required string Instructions { get; init; }

    [Describe("Set when this answer was cut to fit the answer budget: what was cut and where to read the rest")]
    public string? Truncated { get; init; }
}

[McpModel]
public sealed partial record DependencyResult
{
    public required string SubtaskId { get; init; }
    public required string Title { get; init; }
    public required string Role { get; init; }
    public required string Summary { get; init; }

    [Describe("The detailed work (artifact content); cut short, with where to read the rest, when the answer would exceed its budget; absent in a synthesis, whose document carries it")]
    public string? DetailedWork { get; init; }

    [Describe("The artifact holding the detailed work (read it in pages with orchestrator_read_text)")]
    public string? ArtifactId { get; init; }

    [Describe("Length of the whole detailed work, in characters")]
    public required int DetailedWorkLength { get; init; }

    public required IReadOnlyList<string> FilePaths { get; init; }
    public ArtifactType? ArtifactType { get; init; }
    public string? NextAction { get; init; }
}
