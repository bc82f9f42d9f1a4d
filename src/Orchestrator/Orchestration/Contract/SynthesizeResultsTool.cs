using Orchestrator.Tooling;

namespace Orchestrator.Orchestration.Contract;

[McpTool("orchestrator_synthesize_results",
    Description = "Combine the completed subtasks of a task into one result; refused while subtasks are unfinished unless allow_partial is set",
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

    [Describe("All results in plan order, as one Markdown document")]
    public required string Synthesis { get; init; }

    public required IReadOnlyList<DependencyResult> Results { get; init; }

    [Describe("Every file path the subtasks reported, once each, in plan order")]
    public required IReadOnlyList<string> FilePaths { get; init; }

    [Describe("Subtasks not completed (empty when complete)")]
    public required IReadOnlyList<SubtaskRef> Missing { get; init; }
}
