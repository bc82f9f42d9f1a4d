using Orchestrator.Orchestration.Storage;

namespace Orchestrator.Orchestration;

/// <summary>
/// The one place where a call changes a subtask's status: which moves exist, from which statuses each is allowed and
/// where it leads. A move that makes no sense (completing a pending subtask, retrying a completed one) is refused with
/// INVALID_STATE naming the current and the wanted status, before anything is written. Every tool moves subtasks
/// through <see cref="Move"/> and then settles their task with <see cref="TaskLifecycle.Settle"/>; a restart's
/// suspension is the only other writer of a status (in progress ↔ suspended, which changes neither readiness nor the task).
/// </summary>
internal static class SubtaskLifecycle
{
    private sealed record Rule(string Verb, SubtaskStatus[] From, Func<Subtask, SubtaskStatus> To);

    private static readonly Dictionary<SubtaskMove, Rule> Rules = new()
    {
        [SubtaskMove.Execute] = new("execute", [SubtaskStatus.Pending, SubtaskStatus.NeedsRevision, SubtaskStatus.Suspended], _ => SubtaskStatus.InProgress),
        [SubtaskMove.Complete] = new("complete", [SubtaskStatus.InProgress], s => s.ReviewRequired ? SubtaskStatus.NeedsReview : SubtaskStatus.Completed),
        [SubtaskMove.Fail] = new("report as failed", [SubtaskStatus.InProgress], _ => SubtaskStatus.Failed),
        [SubtaskMove.Block] = new("report as blocked", [SubtaskStatus.Pending, SubtaskStatus.InProgress, SubtaskStatus.NeedsRevision], _ => SubtaskStatus.Blocked),
        [SubtaskMove.RequestRevision] = new("report as needing revision", [SubtaskStatus.InProgress], _ => SubtaskStatus.NeedsRevision),
        [SubtaskMove.Release] = new("release", [SubtaskStatus.InProgress, SubtaskStatus.Suspended], _ => SubtaskStatus.Pending),
        [SubtaskMove.Retry] = new("retry", [SubtaskStatus.Failed], _ => SubtaskStatus.Pending),
        [SubtaskMove.Reopen] = new("reopen", [SubtaskStatus.Completed], _ => SubtaskStatus.NeedsRevision),
        [SubtaskMove.Unblock] = new("unblock", [SubtaskStatus.Blocked], _ => SubtaskStatus.Pending),
        [SubtaskMove.Approve] = new("approve", [SubtaskStatus.NeedsReview], _ => SubtaskStatus.Completed),
        [SubtaskMove.SendBack] = new("send back", [SubtaskStatus.NeedsReview], _ => SubtaskStatus.NeedsRevision),
        [SubtaskMove.Cancel] = new("cancel",
            [SubtaskStatus.Pending, SubtaskStatus.InProgress, SubtaskStatus.Suspended, SubtaskStatus.Failed, SubtaskStatus.Blocked,
             SubtaskStatus.NeedsRevision, SubtaskStatus.NeedsReview], _ => SubtaskStatus.Cancelled),
    };

    /// <summary>The status <paramref name="move"/> leads <paramref name="subtask"/> to; INVALID_STATE when it is not allowed from its status.</summary>
    public static SubtaskStatus Target(Subtask subtask, SubtaskMove move, string phase)
    {
        var rule = Rules[move];
        var to = rule.To(subtask);
        if (!rule.From.Contains(subtask.Status))
            throw OrchestrationException.InvalidState(
                $"Cannot {rule.Verb} subtask {subtask.Id} (\"{subtask.Key}\"): it is {Wire(subtask.Status)}, and {rule.Verb} moves a subtask "
                + $"from {Or(rule.From)} to {Wire(to)}{Hint(subtask.Status, move)}", phase);
        return to;
    }

    /// <summary>Whether <paramref name="move"/> is allowed from <paramref name="status"/>.</summary>
    public static bool Allows(SubtaskMove move, SubtaskStatus status) => Rules[move].From.Contains(status);

    /// <summary>
    /// Applies <paramref name="move"/>: checks it, sets the new status and update time, lets <paramref name="edit"/> set
    /// the fields that go with it, writes the row and its history. A subtask that leaves progress ends its claim (see
    /// <see cref="SubtaskClaims"/>), whatever moved it. The caller settles the task afterwards.
    /// </summary>
    public static Subtask Move(Change change, Subtask subtask, SubtaskMove move, Func<Subtask, Subtask>? edit = null)
    {
        var moved = subtask with { Status = Target(subtask, move, change.Phase), UpdatedAt = change.Now };
        if (edit is not null) moved = edit(moved);
        SubtaskRepository.Update(change.Sql, moved);
        if (IsWorking(subtask.Status) && !IsWorking(moved.Status)) ClaimRepository.End(change.Sql, subtask.Id, change.Now, SubtaskClaims.EndedBy(move));
        ChangeRecorder.Subtask(change, subtask, moved);
        return moved;
    }

    /// <summary>In progress, or in progress suspended across a restart: the statuses a claim is held in.</summary>
    public static bool IsWorking(SubtaskStatus status) => status is SubtaskStatus.InProgress or SubtaskStatus.Suspended;

    private static string Hint(SubtaskStatus current, SubtaskMove move) => (current, move) switch
    {
        (SubtaskStatus.Pending, SubtaskMove.Complete) => " (call orchestrator_execute_subtask first)",
        (SubtaskStatus.Failed, SubtaskMove.Execute) => " (retry it first: orchestrator_reopen_subtask with action retry)",
        (SubtaskStatus.Blocked, SubtaskMove.Execute) => " (unblock it first: orchestrator_reopen_subtask with action unblock)",
        (SubtaskStatus.NeedsReview, SubtaskMove.Execute or SubtaskMove.Complete) => " (it waits for orchestrator_review_subtask)",
        (SubtaskStatus.Completed, SubtaskMove.Execute or SubtaskMove.Retry) => " (to redo it, reopen it: orchestrator_reopen_subtask with action reopen)",
        _ => "",
    };

    private static string Or(SubtaskStatus[] statuses) => statuses.Length == 1
        ? Wire(statuses[0])
        : string.Join(", ", statuses[..^1].Select(Wire)) + " or " + Wire(statuses[^1]);

    private static string Wire(SubtaskStatus status) => OrchestrationMapper.ToDb(status);
}
