using Orchestrator.Orchestration.Answers;
using Orchestrator.Orchestration.Contract;
using Orchestrator.Orchestration.Storage;
using Orchestrator.Tooling;

namespace Orchestrator.Orchestration;

public sealed partial class TaskOrchestrator
{
    /// <summary>
    /// <c>orchestrator_review_subtask</c>: the review gate. Approval completes a subtask waiting in needs_review (its
    /// result and artifact were recorded at completion); sending it back makes it needs_revision with the notes, which
    /// its next execution returns.
    /// </summary>
    public ToolOutcome<ReviewSubtaskResult> ReviewSubtask(ReviewSubtaskArgs args, TaskCaller? caller = null)
    {
        const string phase = "review_subtask";
        return Write<ReviewSubtaskResult>(phase, caller ?? TaskCaller.None, sql =>
        {
            var errors = new ArgumentErrors();
            var notes = args.Notes?.Trim();
            if (string.IsNullOrEmpty(notes)) notes = null;
            if (notes is { Length: > Limits.MaxText }) errors.Add("notes", $"longer than {Limits.MaxText} characters");
            if (args.Verdict == ReviewVerdict.Revise && notes is null) errors.Add("notes", "must say what to change when sending a subtask back");
            var subtask = SubtaskOrThrow(sql, args.SubtaskId, phase);
            Require(errors, phase);
            var task = TaskOrThrow(sql, subtask.TaskId, phase);
            if (!task.IsOpen) throw OrchestrationException.InvalidState($"Task {task.Id} is {Wire(task.Status)}; its subtasks cannot change", phase);

            var change = ChangeBy(caller, sql, Now(), phase);
            var wasReady = ReadyIds(sql, task.Id);
            subtask = args.Verdict == ReviewVerdict.Approve
                ? SubtaskLifecycle.Move(change, subtask, SubtaskMove.Approve)
                : SubtaskLifecycle.Move(change, subtask, SubtaskMove.SendBack, s => s with { StatusReason = notes, RevisionNotes = notes });
            (task, var subtasks) = TaskLifecycle.Settle(change, task);
            subtask = TaskLifecycle.Settled(subtask, subtasks);
            var newlyReady = subtasks.Where(s => s.IsReady && s.Id != subtask.Id && !wasReady.Contains(s.Id)).ToList();
            return shaper => new ReviewSubtaskResult
            {
                Subtask = Views.Subtask(shaper, subtask),
                NewlyReady = Views.Refs(shaper, newlyReady, "newly_ready", $"orchestrator_next_subtasks or orchestrator_get_status with task_id {task.Id}"),
                TaskStatus = task.Status,
                Progress = SubtaskRepository.ProgressOf(subtasks.Select(s => (s.Status, 1))),
                Truncated = shaper.Summary(),
            };
        });
    }
}
