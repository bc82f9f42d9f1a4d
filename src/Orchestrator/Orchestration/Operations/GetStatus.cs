using Orchestrator.Orchestration.Answers;
using Orchestrator.Orchestration.Contract;
using Orchestrator.Orchestration.Storage;
using Orchestrator.Tooling;

namespace Orchestrator.Orchestration;

public sealed partial class TaskOrchestrator
{
    private static readonly TaskState[] OpenOrCompleted = [.. TaskRepository.OpenStates, TaskState.Completed];

    /// <summary>Stale claims listed by <c>orchestrator_get_status</c>: the first few; the health check counts more.</summary>
    private const int StaleClaimsListed = 20;

    /// <summary>Stale claims of the whole store, up to <paramref name="limit"/> (<see cref="SubtaskClaims.Stale"/>).</summary>
    public IReadOnlyList<StaleClaimView> StaleClaims(int limit = 10_000) =>
        _database.Read(c => SubtaskClaims.Stale(new Sql(c, null), Now(), limit).Select(StaleView).ToList());

    private static StaleClaimView StaleView(StaleClaim stale) => new()
    {
        SubtaskId = stale.SubtaskId, TaskId = stale.TaskId, Agent = stale.Claim?.Agent, LeaseExpiresAt = stale.Claim?.LeaseUntil, Reason = stale.Reason,
    };

    /// <summary><c>orchestrator_get_status</c>: one task with its subtasks, or the most recently updated open (optionally also completed) tasks.</summary>
    public ToolOutcome<GetStatusResult> GetStatus(GetStatusArgs args)
    {
        const string phase = "get_status";
        return Read<GetStatusResult>(phase, sql =>
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
                var filter = new TaskRepository.Filter(args.IncludeCompleted ? OpenOrCompleted : TaskRepository.OpenStates, args.SessionId);
                (tasks, hasMore) = TaskRepository.Page(sql, filter, args.Limit, 0);
            }
            var progress = SubtaskRepository.Progress(sql, tasks.Select(t => t.Id).ToList());
            var inProgress = SubtaskRepository.Count(sql, SubtaskStatus.InProgress);
            var now = Now();
            var stale = SubtaskClaims.Stale(sql, now, StaleClaimsListed);
            return shaper =>
            {
                var listed = shaper.Items(tasks, "tasks", "orchestrator_query_tasks pages through them");
                var shown = subtasks is null ? null
                    : shaper.Items(subtasks.Skip(args.SubtaskOffset).ToList(), "subtasks", "call again with next_subtask_offset");
                return new GetStatusResult
                {
                    Tasks = listed.Select(t => Views.Task(shaper, t, progress[t.Id])).ToList(),
                    Subtasks = shown?.Select(s => Views.Subtask(shaper, s)).ToList(),
                    NextSubtaskOffset = shown is not null && args.SubtaskOffset + shown.Count < subtasks!.Count ? args.SubtaskOffset + shown.Count : null,
                    HasMore = hasMore || listed.Count < tasks.Count,
                    SubtasksInProgress = inProgress,
                    StaleClaims = shaper.Items(stale, "stale_claims", "orchestrator_health_check counts them all").Select(StaleView).ToList(),
                    Timestamp = now,
                    Truncated = shaper.Summary(),
                };
            };
        });
    }
}
