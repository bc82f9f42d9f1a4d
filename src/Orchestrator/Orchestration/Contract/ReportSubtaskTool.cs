using Orchestrator.Tooling;

namespace Orchestrator.Orchestration.Contract;

[McpTool("orchestrator_report_subtask",
    Description = "Report that a subtask in progress failed (why), is blocked (on what) or needs revision (what to redo); blocked may also be reported for a subtask not started. Completion is orchestrator_complete_subtask",
    Result = typeof(ReportSubtaskResult), Group = "tasks", Idempotent = true)]
public sealed partial record ReportSubtaskArgs
{
    public required string SubtaskId { get; init; }

    [Describe("The agent reporting (1-200 characters); by default the client's name. Refused while another agent's lease on the subtask runs")]
    public string? Agent { get; init; }

    [Describe("failed: it cannot be done as planned; blocked: it waits on something outside the plan; needs_revision: it must be done again")]
    public required ReportedOutcome Outcome { get; init; }

    [Describe("Why it failed, what blocks it, or what to revise (1-20000 characters); a revision's reason is given to its next execution")]
    public required string Reason { get; init; }
}

/// <summary>What a specialist can report instead of completion.</summary>
public enum ReportedOutcome
{
    Failed,
    Blocked,
    NeedsRevision,
}

public sealed partial record ReportSubtaskResult
{
    public required SubtaskView Subtask { get; init; }

    [Describe("Status of the parent task: failed while a subtask is failed, blocked while one is blocked")]
    public required TaskState TaskStatus { get; init; }

    public required TaskProgress Progress { get; init; }

    [Describe("What can be done about it")]
    public required string NextSteps { get; init; }

    [Describe("Set when this answer was cut to fit the answer budget: what was cut and where to read the rest")]
    public string? Truncated { get; init; }
}
