using System.Globalization;
using Orchestrator.Orchestration.Answers;
using Orchestrator.Orchestration.Contract;
using Orchestrator.Orchestration.Storage;
using Orchestrator.Tooling;

namespace Orchestrator.Orchestration;

public sealed partial class TaskOrchestrator
{
    /// <summary>
    /// <c>orchestrator_next_subtasks</c>: the ready subtasks (pending or needs_revision, every dependency completed) of
    /// every open task, best first: the task's priority, then how many unfinished subtasks wait on it, then the oldest.
    /// Read from one partial index in that order (the counts are kept by <see cref="TaskLifecycle"/>), so the cost
    /// does not grow with the number of open tasks.
    /// </summary>
    public ToolOutcome<NextSubtasksResult> NextSubtasks(NextSubtasksArgs args)
    {
        const string phase = "next_subtasks";
        return Read<NextSubtasksResult>(phase, sql =>
        {
            if (args.SessionId is { } sessionId) SessionOrThrow(sql, sessionId, phase);
            var role = string.IsNullOrWhiteSpace(args.Role) ? null : args.Role.Trim();
            var ready = SubtaskRepository.Ready(sql, args.SessionId, role, args.Limit + 1);
            var hasMore = ready.Count > args.Limit;
            if (hasMore) ready.RemoveAt(args.Limit);
            var tasks = TaskRepository.Many(sql, ready.Select(s => s.TaskId).Distinct().ToList()).ToDictionary(t => t.Id, StringComparer.Ordinal);
            var waiting = ready.ToDictionary(s => s.Id, s => SubtaskRepository.WaitingOn(sql, s.Id), StringComparer.Ordinal);
            var awaitingReview = args.SessionId is { } session
                ? SubtaskRepository.CountInSession(sql, SubtaskStatus.NeedsReview, session)
                : SubtaskRepository.Count(sql, SubtaskStatus.NeedsReview);
            return shaper =>
            {
                var listed = shaper.Items(ready, "subtasks", "call again with a larger limit, or after executing these");
                return new NextSubtasksResult
                {
                    Subtasks = listed.Select((s, i) => new RankedSubtask
                    {
                        Rank = i + 1,
                        Subtask = Views.Ref(shaper, s),
                        TaskId = s.TaskId,
                        TaskTitle = shaper.Text(tasks[s.TaskId].Title, TextRef.Task(s.TaskId, "title")),
                        Priority = tasks[s.TaskId].Priority,
                        Unblocks = s.Dependants,
                        WaitingSince = s.CreatedAt,
                        Reason = RankReason(shaper, tasks[s.TaskId], s, waiting[s.Id]),
                    }).ToList(),
                    HasMore = hasMore || listed.Count < ready.Count,
                    AwaitingReview = awaitingReview,
                    Truncated = shaper.Summary(),
                };
            };
        });
    }

    private static string RankReason(AnswerShaper shaper, WorkTask task, Subtask subtask, IReadOnlyList<Subtask> waiting)
    {
        var names = shaper.Items(waiting, "unblocks", "orchestrator_get_status with the task's id").Select(w => $"\"{w.Key}\"").ToList();
        var unblocks = waiting.Count == 0 ? "no subtask waits on it"
            : $"{waiting.Count} subtask(s) wait on it ({string.Join(", ", names)}{(names.Count < waiting.Count ? ", …" : "")})";
        var again = subtask.Status == SubtaskStatus.NeedsRevision ? "; to be done again (see its revision notes)" : "";
        return $"priority {OrchestrationMapper.ToDb(task.Priority)}; {unblocks}; planned {subtask.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}{again}";
    }
}
