using Orchestrator.Orchestration.Contract;
using Orchestrator.Orchestration.Storage;
using Orchestrator.Tooling;

namespace Orchestrator.Orchestration;

public sealed partial class TaskOrchestrator
{
    /// <summary><c>orchestrator_query_tasks</c>: one page of the tasks matching every filter given, most recently updated first.</summary>
    public ToolOutcome<QueryTasksResult> QueryTasks(QueryTasksArgs args)
    {
        const string phase = "query_tasks";
        return Read(phase, sql =>
        {
            if (args.SessionId is { } sessionId) SessionOrThrow(sql, sessionId, phase);
            var text = args.Text?.Trim();
            var (tasks, hasMore) = TaskRepository.Page(sql, args.Status is { } status ? [status] : null, args.SessionId,
                string.IsNullOrEmpty(text) ? null : text, args.Limit, args.Offset);
            var progress = SubtaskRepository.Progress(sql, tasks.Select(t => t.Id).ToList());
            return new QueryTasksResult
            {
                Tasks = tasks.Select(t => OrchestrationMapper.ToView(t) with { Progress = progress[t.Id] }).ToList(),
                Offset = args.Offset,
                Limit = args.Limit,
                HasMore = hasMore,
                NextOffset = hasMore ? args.Offset + tasks.Count : null,
            };
        });
    }
}
