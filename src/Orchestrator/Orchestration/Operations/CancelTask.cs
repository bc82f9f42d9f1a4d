using Orchestrator.Orchestration.Answers;
using Orchestrator.Orchestration.Contract;
using Orchestrator.Orchestration.Storage;
using Orchestrator.Tooling;

namespace Orchestrator.Orchestration;

public sealed partial class TaskOrchestrator
{
    /// <summary><c>orchestrator_cancel_task</c>: the task and its unfinished subtasks are cancelled; completed subtasks and their artifacts stay as they are.</summary>
    public ToolOutcome<CancelTaskResult> CancelTask(CancelTaskArgs args, TaskCaller? caller = null)
    {
        const string phase = "cancel_task";
        return Write<CancelTaskResult>(phase, caller ?? TaskCaller.None, sql =>
        {
            var errors = new ArgumentErrors();
            if (args.Reason is { Length: > Limits.MaxText }) errors.Add("reason", $"longer than {Limits.MaxText} characters");
            var task = TaskOrThrow(sql, args.TaskId, phase);
            Require(errors, phase);
            if (!task.IsOpen)
                throw OrchestrationException.InvalidState($"Task {task.Id} is already {Wire(task.Status)}", phase);
            var change = ChangeBy(caller, sql, Now(), phase);
            var reason = args.Reason?.Trim();
            var subtasks = SubtaskRepository.OfTask(sql, task.Id);
            var cancelled = subtasks.Where(s => SubtaskLifecycle.Allows(SubtaskMove.Cancel, s.Status))
                .Select(s => SubtaskLifecycle.Move(change, s, SubtaskMove.Cancel)).ToList();
            var before = task;
            task = task with { Status = TaskState.Cancelled, CancelReason = string.IsNullOrEmpty(reason) ? null : reason };
            (task, subtasks) = TaskLifecycle.Settle(change, task, before);
            var preserved = subtasks.Where(s => s.Status == SubtaskStatus.Completed).ToList();
            var progress = SubtaskRepository.ProgressOf(subtasks.Select(s => (s.Status, 1)));
            return shaper => new CancelTaskResult
            {
                Task = Views.Task(shaper, task, progress),
                CancelledSubtasks = Views.Refs(shaper, cancelled, "cancelled_subtasks", $"orchestrator_get_status with task_id {task.Id}"),
                PreservedSubtasks = Views.Refs(shaper, preserved, "preserved_subtasks", $"orchestrator_get_status with task_id {task.Id}"),
                Truncated = shaper.Summary(),
            };
        });
    }
}
