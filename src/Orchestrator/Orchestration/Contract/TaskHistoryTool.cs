using Orchestrator.Tooling;

namespace Orchestrator.Orchestration.Contract;

[McpTool("orchestrator_task_history",
    Description = "Who did what to a task and its subtasks, newest first, one page at a time: each change's time, event, status before and after, the fields it changed (old and new values, shortened), the agent or client that made it and the tool it used",
    Result = typeof(TaskHistoryResult), Group = "tasks")]
public sealed partial record TaskHistoryArgs
{
    public required string TaskId { get; init; }

    [Describe("Only this subtask's changes (also a subtask since removed from the plan)")]
    public string? SubtaskId { get; init; }

    [Describe("Changes to skip, newest first", Minimum = 0, Maximum = 10000000)]
    public int Offset { get; init; }

    [Describe("Page size", Minimum = 1, Maximum = 200)]
    public int Limit { get; init; } = 50;
}

public sealed partial record TaskHistoryResult
{
    public required string TaskId { get; init; }
    public string? SubtaskId { get; init; }

    [Describe("This page of changes, newest first")]
    public required IReadOnlyList<HistoryItem> Entries { get; init; }

    [Describe("Changes recorded in all (for the subtask, when one is given)")]
    public required int Total { get; init; }

    public required int Offset { get; init; }
    public required bool HasMore { get; init; }

    [Describe("Offset of the next page, when there is one")]
    public int? NextOffset { get; init; }

    [Describe("Set when this answer was cut to fit the answer budget: what was cut and where to read the rest")]
    public string? Truncated { get; init; }
}

[McpModel]
public sealed partial record HistoryItem
{
    public required DateTimeOffset At { get; init; }

    [Describe("The subtask changed; absent for a change of the task itself")]
    public string? SubtaskId { get; init; }

    [Describe("created, status_changed, edited or removed")]
    public required HistoryEvent Event { get; init; }

    [Describe("Status before (absent for a creation)")]
    public string? From { get; init; }

    [Describe("Status after (absent for a removal)")]
    public string? To { get; init; }

    [Describe("Fields changed, with old and new values (each cut to 200 characters; the current text is on the task or subtask)")]
    public IReadOnlyList<FieldChangeItem>? Changes { get; init; }

    [Describe("Who made the change: the agent named by the call, else the MCP client's name; orchestrator for a restart's suspension and resumption")]
    public required string Actor { get; init; }

    [Describe("The tool the change came through")]
    public required string Tool { get; init; }
}

[McpModel]
public sealed partial record FieldChangeItem
{
    public required string Field { get; init; }
    public string? From { get; init; }
    public string? To { get; init; }
}
