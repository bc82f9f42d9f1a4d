using Orchestrator.Orchestration.Answers;
using Orchestrator.Orchestration.Contract;
using Orchestrator.Orchestration.Storage;
using Orchestrator.Tooling;

namespace Orchestrator.Orchestration;

public sealed partial class TaskOrchestrator
{
    /// <summary>
    /// <c>orchestrator_reopen_subtask</c>: retry (failed → pending), unblock (blocked → pending) or reopen (completed →
    /// needs_revision). The reason it was failed or blocked, and the note, go to its next execution as revision notes.
    /// Reopening keeps the old artifact, and flags (never resets) the subtasks that already consumed its result; those
    /// not started yet simply wait for it again. A completed task whose subtask is reopened is in progress again.
    /// </summary>
    public ToolOutcome<ReopenSubtaskResult> ReopenSubtask(ReopenSubtaskArgs args, TaskCaller? caller = null)
    {
        const string phase = "reopen_subtask";
        return Write<ReopenSubtaskResult>(phase, caller ?? TaskCaller.None, sql =>
        {
            var errors = new ArgumentErrors();
            var note = args.Note?.Trim();
            if (string.IsNullOrEmpty(note)) note = null;
            if (note is { Length: > Limits.MaxText }) errors.Add("note", $"longer than {Limits.MaxText} characters");
            if (args.Action == ReopenAction.Reopen && note is null) errors.Add("note", "must say what to redo when reopening a completed subtask");
            var subtask = SubtaskOrThrow(sql, args.SubtaskId, phase);
            Require(errors, phase);
            var task = TaskOrThrow(sql, subtask.TaskId, phase);
            if (task.Status == TaskState.Cancelled) throw OrchestrationException.InvalidState($"Task {task.Id} is cancelled; its subtasks cannot change", phase);

            var now = Now();
            var change = ChangeBy(caller, sql, now, phase);
            var (move, earlier) = args.Action switch
            {
                ReopenAction.Retry => (SubtaskMove.Retry, subtask.StatusReason is { } failure ? $"The previous attempt failed: {failure}" : null),
                ReopenAction.Unblock => (SubtaskMove.Unblock, subtask.StatusReason is { } blocker ? $"It was blocked: {blocker}" : null),
                _ => (SubtaskMove.Reopen, (string?)null),
            };
            var notes = string.Join("\n\n", new[] { subtask.RevisionNotes, earlier, note }.OfType<string>());
            subtask = SubtaskLifecycle.Move(change, subtask, move, s => s with
            {
                StatusReason = move == SubtaskMove.Reopen ? note : null,
                RevisionNotes = notes.Length == 0 ? null : CodePoints.Prefix(notes, Limits.MaxText),
            });
            var flagged = new List<Subtask>();
            if (move == SubtaskMove.Reopen)
            {
                foreach (var dependant in SubtaskRepository.OutlineOfTask(sql, task.Id).Where(s => s.DependsOn.Contains(subtask.Id)
                             && s.Status is not (SubtaskStatus.Pending or SubtaskStatus.Cancelled) && !s.StaleInputs.Contains(subtask.Id)))
                {
                    SubtaskRepository.SetStaleInputs(sql, dependant.Id, [.. dependant.StaleInputs, subtask.Id], now);
                    ChangeRecorder.Subtask(change, dependant, dependant with { StaleInputs = [.. dependant.StaleInputs, subtask.Id] });
                    flagged.Add(dependant);
                }
            }
            (task, var subtasks) = TaskLifecycle.Settle(change, task);
            subtask = TaskLifecycle.Settled(subtask, subtasks);
            return shaper => new ReopenSubtaskResult
            {
                Subtask = Views.Subtask(shaper, subtask),
                Flagged = Views.Refs(shaper, flagged, "flagged", $"orchestrator_get_status with task_id {task.Id}"),
                TaskStatus = task.Status,
                Progress = SubtaskRepository.ProgressOf(subtasks.Select(s => (s.Status, 1))),
                Truncated = shaper.Summary(),
            };
        });
    }
}
