using Orchestrator.Tooling;

namespace Orchestrator.Orchestration.Contract;

[McpTool("orchestrator_query_tasks",
    Description = "Find tasks by status, session and text (title or description), most recently updated first, one page at a time",
    Result = typeof(QueryTasksResult), Group = "tasks")]
public sealed partial record QueryTasksArgs
{
    public TaskState? Status { get; init; }
    public string? SessionId { get; init; }

    [Describe("Case-insensitive text contained in the title or description")]
    public string? Text { get; init; }

    [Describe("Page size", Minimum = 1, Maximum = 100)]
    public int Limit { get; init; } = 20;

    [Describe("Tasks to skip", Minimum = 0, Maximum = 1000000)]
    public int Offset { get; init; }
}

public sealed partial record QueryTasksResult
{
    public required IReadOnlyList<TaskView> Tasks { get; init; }
    public required int Offset { get; init; }
    public required int Limit { get; init; }
    public required bool HasMore { get; init; }

    [Describe("Offset of the next page, when there is one")]
    public int? NextOffset { get; init; }
}
