using Orchestrator.Orchestration.Contract;
using Orchestrator.Orchestration.Storage;
using Orchestrator.Tooling;

namespace Orchestrator.Orchestration;

public sealed partial class TaskOrchestrator
{
    private static readonly TaskState[] Active = [TaskState.Planned, TaskState.InProgress];
    private static readonly TaskState[] ActiveOrCompleted = [TaskState.Planned, TaskState.InProgress, TaskState.Completed];

    /// <summary><c>orchestrator_get_status</c>: one task with its subtasks, or the most recently updated active (optionally also completed) tasks.</summary>
    public ToolOutcome<GetStatusResult> GetStatus(GetStatusArgs args)
    {
        const string phase = "get_status";
        return Read(phase, sql =>
        {
            if (args.SessionId is { } sessionId) SessionOrThrow(sql, sessionId, phase);
            List<WorkTask> tasks;
            List<Subtask>? subtasks = null;
            var hasMore = false;
            if (args.TaskId is { } taskId)
            {
                var task = TaskOrThrow(sql, taskId, phase);
                if (args.SessionId is { } s && task.SessionId != s)
                    throw new OrchestrationException(new ToolError(ErrorCode.NotFound, $"Task {taskId} is not in session {s}", phase));
                tasks = [task];
                subtasks = SubtaskRepository.OfTask(sql, task.Id);
            }
            else
            {
                (tasks, hasMore) = TaskRepository.Page(sql, args.IncludeCompleted ? ActiveOrCompleted : Active, args.SessionId, null, args.Limit, 0);
            }
            var progress = SubtaskRepository.Progress(sql, tasks.Select(t => t.Id).ToList());
            return new GetStatusResult
            {
                Tasks = tasks.Select(t => OrchestrationMapper.ToView(t) with { Progress = progress[t.Id] }).ToList(),
                Subtasks = subtasks?.Select(OrchestrationMapper.ToView).ToList(),
                HasMore = hasMore,
                SubtasksInProgress = SubtaskRepository.Count(sql, SubtaskStatus.InProgress),
                Timestamp = Now(),
            };
        });
    }
}
