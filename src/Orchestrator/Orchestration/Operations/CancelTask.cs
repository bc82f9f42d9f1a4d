using Orchestrator.Orchestration.Contract;
using Orchestrator.Orchestration.Storage;
using Orchestrator.Tooling;

namespace Orchestrator.Orchestration;

public sealed partial class TaskOrchestrator
{
    /// <summary><c>orchestrator_cancel_task</c>: the task and its unfinished subtasks are cancelled; completed subtasks and their artifacts stay as they are.</summary>
    public ToolOutcome<CancelTaskResult> CancelTask(CancelTaskArgs args)
    {
        const string phase = "cancel_task";
        return Write(phase, sql =>
        {
            var task = TaskOrThrow(sql, args.TaskId, phase);
            if (task.Status is TaskState.Completed or TaskState.Cancelled)
                throw OrchestrationException.InvalidState($"Task {task.Id} is already {Wire(task.Status)}", phase);
            var now = Now();
            var reason = args.Reason?.Trim();
            task = task with { Status = TaskState.Cancelled, CancelReason = string.IsNullOrEmpty(reason) ? null : reason, UpdatedAt = now };
            TaskRepository.Update(sql, task);
            var subtasks = SubtaskRepository.OfTask(sql, task.Id);
            var cancelled = new List<Subtask>();
            foreach (var subtask in subtasks.Where(s => s.Status is SubtaskStatus.Pending or SubtaskStatus.InProgress or SubtaskStatus.Suspended))
            {
                var updated = subtask with { Status = SubtaskStatus.Cancelled, UpdatedAt = now };
                SubtaskRepository.UpdateProgress(sql, updated);
                cancelled.Add(updated);
            }
            var preserved = subtasks.Where(s => s.Status == SubtaskStatus.Completed).ToList();
            var progress = SubtaskRepository.ProgressOf(preserved.Select(s => (s.Status, 1)).Concat(cancelled.Select(s => (s.Status, 1))));
            return new CancelTaskResult
            {
                Task = OrchestrationMapper.ToView(task) with { Progress = progress },
                CancelledSubtasks = cancelled.Select(OrchestrationMapper.ToRef).ToList(),
                PreservedSubtasks = preserved.Select(OrchestrationMapper.ToRef).ToList(),
            };
        });
    }
}
