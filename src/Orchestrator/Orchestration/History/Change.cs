using Orchestrator.Orchestration.Storage;

namespace Orchestrator.Orchestration;

/// <summary>
/// One call's write: its transaction, its time, who makes it and through which tool. Status moves
/// (<see cref="SubtaskLifecycle"/>, <see cref="TaskLifecycle"/>) and edits take it, so that the history they record
/// (<see cref="ChangeRecorder"/>) is written in the same transaction as the change, with the same time.
/// </summary>
internal sealed record Change(Sql Sql, DateTimeOffset Now, Actor Actor, string Phase)
{
    /// <summary>The tool making the change: every task tool's phase is its name without the <c>orchestrator_</c> prefix.</summary>
    public string Tool { get; init; } = "orchestrator_" + Phase;
}
