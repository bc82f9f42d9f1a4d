using Orchestrator.Orchestration.Answers;
using Orchestrator.Orchestration.Contract;
using Orchestrator.Orchestration.Storage;
using Orchestrator.Tooling;

namespace Orchestrator.Orchestration;

public sealed partial class TaskOrchestrator
{
    /// <summary>
    /// <c>orchestrator_task_history</c>: one page of a task's recorded changes (or one subtask's, also one removed since),
    /// newest first. A page the answer budget cuts short ends earlier, and <c>next_offset</c> continues from there.
    /// </summary>
    public ToolOutcome<TaskHistoryResult> TaskHistory(TaskHistoryArgs args)
    {
        const string phase = "task_history";
        return Read<TaskHistoryResult>(phase, sql =>
        {
            var task = TaskOrThrow(sql, args.TaskId, phase);
            if (args.SubtaskId is { } subtaskId)
            {
                var known = SubtaskRepository.Get(sql, subtaskId);
                if (known is null && !HistoryRepository.Mentions(sql, task.Id, subtaskId))
                    throw OrchestrationException.NotFound("subtask", subtaskId, phase);
                if (known is not null && known.TaskId != task.Id)
                    throw new OrchestrationException(new ToolError(ErrorCode.NotFound, $"Subtask {subtaskId} is not in task {task.Id} (it is in {known.TaskId})", phase));
            }
            var (entries, hasMore) = HistoryRepository.Page(sql, task.Id, args.SubtaskId, args.Offset, args.Limit);
            var total = HistoryRepository.Count(sql, task.Id, args.SubtaskId);
            return shaper =>
            {
                var listed = shaper.Items(entries, "entries", "the next page starts at next_offset");
                var more = hasMore || listed.Count < entries.Count;
                return new TaskHistoryResult
                {
                    TaskId = task.Id,
                    SubtaskId = args.SubtaskId,
                    Entries = listed.Select(e => new HistoryItem
                    {
                        At = e.At, SubtaskId = e.SubtaskId, Event = e.Event, From = e.FromStatus, To = e.ToStatus,
                        // Values are stored cut to 200 characters already: a long page ends earlier rather than cutting them more.
                        Changes = e.Changes.Count == 0 ? null : e.Changes.Select(c => new FieldChangeItem { Field = c.Field, From = c.From, To = c.To }).ToList(),
                        Actor = e.Actor, Tool = e.Tool,
                    }).ToList(),
                    Total = total,
                    Offset = args.Offset,
                    HasMore = more,
                    NextOffset = more ? args.Offset + listed.Count : null,
                    Truncated = shaper.Summary(),
                };
            };
        });
    }
}
