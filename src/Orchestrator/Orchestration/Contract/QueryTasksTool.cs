using Orchestrator.Tooling;

namespace Orchestrator.Orchestration.Contract;

[McpTool("orchestrator_query_tasks",
    Description = "Find tasks by status, session, priority, tags and ranked full-text search (task and subtask titles, descriptions, result summaries), one page at a time: best match first with text, else most recently updated first",
    Result = typeof(QueryTasksResult), Group = "tasks")]
public sealed partial record QueryTasksArgs
{
    public TaskState? Status { get; init; }
    public string? SessionId { get; init; }

    [Describe("Only tasks of this priority")]
    public Priority? Priority { get; init; }

    [Describe("Only tasks carrying every one of these tags")]
    public IReadOnlyList<string> Tags { get; init; } = [];

    [Describe("Full-text search (SQLite FTS5 syntax): words match whole words in any form (\"parse\" finds \"parsing\"), pars* matches a prefix, \"a phrase\" in quotes, AND / OR / NOT, title:word searches titles only; results ranked by relevance, each with a snippet of its best match")]
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

    [Describe("Set when this answer was cut to fit the answer budget: what was cut and where to read the rest")]
    public string? Truncated { get; init; }
}
