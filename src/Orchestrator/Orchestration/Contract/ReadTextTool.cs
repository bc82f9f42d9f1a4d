using Orchestrator.Tooling;

namespace Orchestrator.Orchestration.Contract;

[McpTool("orchestrator_read_text",
    Description = "Read an artifact (a subtask's full detailed work) or any stored text an answer cut short, one page at a time: offset, length and total length in characters",
    Result = typeof(ReadTextResult), Group = "tasks")]
public sealed partial record ReadTextArgs
{
    [Describe("What to read: an artifact id (art_…); SUBTASK_ID/work (its latest artifact), SUBTASK_ID/description, /summary, /file_paths, /revision_notes, …; TASK_ID/description; SESSION_ID/role/NAME (a role's prompt). A cut answer names the ref of each text it cut")]
    public required string Ref { get; init; }

    [Describe("Characters to skip", Minimum = 0, Maximum = 1000000)]
    public int Offset { get; init; }

    [Describe("Most characters to return; the page is also kept within the answer budget", Minimum = 1, Maximum = 1000000)]
    public int Limit { get; init; } = 1_000_000;
}

public sealed partial record ReadTextResult
{
    public required string Ref { get; init; }

    [Describe("The task the text belongs to, when it belongs to one")]
    public string? TaskId { get; init; }

    [Describe("The subtask the text belongs to, when it belongs to one")]
    public string? SubtaskId { get; init; }

    public required int Offset { get; init; }

    [Describe("Characters in this page")]
    public required int Length { get; init; }

    [Describe("Characters in the whole text")]
    public required int TotalLength { get; init; }

    [Describe("This page of the text")]
    public required string Text { get; init; }

    public required bool HasMore { get; init; }

    [Describe("Offset of the next page, when there is one")]
    public int? NextOffset { get; init; }
}
