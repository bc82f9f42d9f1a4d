using Orchestrator.Tooling;

namespace Orchestrator.Orchestration.Contract;

[McpTool("orchestrator_synthesize_results",
    Description = "Combine the completed subtasks of a task into one result; refused while subtasks are unfinished unless allow_partial is set (then the missing ones are listed with the reason, e.g. why one failed)",
    Result = typeof(SynthesizeResultsResult), Group = "tasks")]
public sealed partial record SynthesizeResultsArgs
{
    public required string TaskId { get; init; }

    [Describe("Synthesize what is completed even if other subtasks are not (reported as partial)")]
    public bool AllowPartial { get; init; }
}

public sealed partial record SynthesizeResultsResult
{
    public required TaskView Task { get; init; }

    [Describe("True when every subtask is completed; false for a partial synthesis")]
    public required bool Complete { get; init; }

    [Describe("All results in plan order, as one Markdown document (each detailed work whole when it fits the answer budget, else its beginning and where to read the rest)")]
    public required string Synthesis { get; init; }

    [Describe("Each completed subtask's summary, file paths and artifact (its detailed work is in synthesis)")]
    public required IReadOnlyList<DependencyResult> Results { get; init; }

    [Describe("Every file path the subtasks reported, once each, in plan order")]
    public required IReadOnlyList<string> FilePaths { get; init; }

    [Describe("Subtasks not completed (empty when complete), each with its status and, when it has one, the reason")]
    public required IReadOnlyList<SubtaskRef> Missing { get; init; }

    [Describe("Set when this answer was cut to fit the answer budget: what was cut and where to read the rest")]
    public string? Truncated { get; init; }
}
