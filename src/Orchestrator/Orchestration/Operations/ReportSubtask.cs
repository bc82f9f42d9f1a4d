using Orchestrator.Orchestration.Answers;
using Orchestrator.Orchestration.Contract;
using Orchestrator.Orchestration.Storage;
using Orchestrator.Tooling;

namespace Orchestrator.Orchestration;

public sealed partial class TaskOrchestrator
{
    /// <summary>
    /// <c>orchestrator_report_subtask</c>: a subtask failed, is blocked or needs revision, with the reason. Its task shows
    /// it (failed or blocked) until it is retried, unblocked, revised or removed; a revision's reason becomes the notes
    /// its next execution returns.
    /// </summary>
    public ToolOutcome<ReportSubtaskResult> ReportSubtask(ReportSubtaskArgs args, TaskCaller? caller = null)
    {
        const string phase = "report_subtask";
        return Write<ReportSubtaskResult>(phase, caller ?? TaskCaller.None, sql =>
        {
            var errors = new ArgumentErrors();
            var reason = NonBlank(errors, "reason", args.Reason, Limits.MaxText);
            var agent = AgentOf(errors, args.Agent, caller ?? TaskCaller.None);
            var subtask = SubtaskOrThrow(sql, args.SubtaskId, phase);
            Require(errors, phase);
            var task = TaskOrThrow(sql, subtask.TaskId, phase);
            if (!task.IsOpen) throw OrchestrationException.InvalidState($"Task {task.Id} is {Wire(task.Status)}; its subtasks cannot change", phase);

            var now = Now();
            SubtaskClaims.RequireHolder(sql, subtask, agent, now, "report", phase);
            var change = ChangeBy(Actor.Of(agent, null), sql, now, phase);
            var move = args.Outcome switch
            {
                ReportedOutcome.Failed => SubtaskMove.Fail,
                ReportedOutcome.Blocked => SubtaskMove.Block,
                _ => SubtaskMove.RequestRevision,
            };
            subtask = SubtaskLifecycle.Move(change, subtask, move, s => s with
            {
                StatusReason = reason,
                RevisionNotes = move == SubtaskMove.RequestRevision ? reason : s.RevisionNotes,
            });
            (task, var subtasks) = TaskLifecycle.Settle(change, task);
            subtask = TaskLifecycle.Settled(subtask, subtasks);
            var nextSteps = args.Outcome switch
            {
                ReportedOutcome.Failed => $"Once the cause is fixed, retry it (orchestrator_reopen_subtask action retry), change it first (orchestrator_revise_plan), or remove it from the plan; task {task.Id} stays failed until then.",
                ReportedOutcome.Blocked => $"When what blocks it is resolved, unblock it (orchestrator_reopen_subtask action unblock); task {task.Id} stays blocked until then.",
                _ => "It is ready to be executed again once its dependencies are completed; orchestrator_execute_subtask returns the reason as revision_notes.",
            };
            return shaper => new ReportSubtaskResult
            {
                Subtask = Views.Subtask(shaper, subtask),
                TaskStatus = task.Status,
                Progress = SubtaskRepository.ProgressOf(subtasks.Select(s => (s.Status, 1))),
                NextSteps = nextSteps,
                Truncated = shaper.Summary(),
            };
        });
    }
}
