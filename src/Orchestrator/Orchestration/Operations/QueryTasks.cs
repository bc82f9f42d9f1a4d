using Orchestrator.Orchestration.Answers;
using Orchestrator.Orchestration.Contract;
using Orchestrator.Orchestration.Storage;
using Orchestrator.Tooling;

namespace Orchestrator.Orchestration;

public sealed partial class TaskOrchestrator
{
    /// <summary>
    /// <c>orchestrator_query_tasks</c>: one page of the tasks matching every filter given; with <c>text</c>, ranked by
    /// relevance through the full-text index (a query FTS5 cannot parse is INVALID_PARAMETERS), else most recently
    /// updated first. A page the answer budget cuts short ends earlier, and <c>next_offset</c> continues from there.
    /// </summary>
    public ToolOutcome<QueryTasksResult> QueryTasks(QueryTasksArgs args)
    {
        const string phase = "query_tasks";
        return Read<QueryTasksResult>(phase, sql =>
        {
            var errors = new ArgumentErrors();
            var tags = PlanRules.Tags(errors, "tags", args.Tags);
            Require(errors, phase);
            if (args.SessionId is { } sessionId) SessionOrThrow(sql, sessionId, phase);
            var filter = new TaskRepository.Filter(args.Status is { } status ? [status] : null, args.SessionId, args.Priority, tags);
            var text = args.Text?.Trim();
            List<WorkTask> tasks;
            bool hasMore;
            Dictionary<string, SearchRepository.Hit>? matches = null;
            if (string.IsNullOrEmpty(text))
            {
                (tasks, hasMore) = TaskRepository.Page(sql, filter, args.Limit, args.Offset);
            }
            else
            {
                List<SearchRepository.Hit> hits;
                try
                {
                    (hits, hasMore) = SearchRepository.Page(sql, text, filter, args.Limit, args.Offset);
                }
                catch (SearchRepository.InvalidQueryException ex)
                {
                    errors.Add("text", $"not a valid search ({ex.Message}); put words with punctuation in double quotes, e.g. \"100%\"");
                    throw OrchestrationException.InvalidParameters(errors, phase);
                }
                var byId = TaskRepository.Many(sql, hits.Select(h => h.TaskId).ToList()).ToDictionary(t => t.Id, StringComparer.Ordinal);
                tasks = hits.Select(h => byId[h.TaskId]).ToList();
                matches = hits.ToDictionary(h => h.TaskId, StringComparer.Ordinal);
            }
            var progress = SubtaskRepository.Progress(sql, tasks.Select(t => t.Id).ToList());
            return shaper =>
            {
                var listed = shaper.Items(tasks, "tasks", "the next page starts at next_offset");
                var more = hasMore || listed.Count < tasks.Count;
                return new QueryTasksResult
                {
                    Tasks = listed.Select(t => Views.Task(shaper, t, progress[t.Id]) with
                    {
                        Match = matches is null ? null : new SearchMatch
                        {
                            SubtaskId = matches[t.Id].SubtaskId,
                            Snippet = shaper.TextWithRest(matches[t.Id].Snippet, "the task's or subtask's text"),
                        },
                    }).ToList(),
                    Offset = args.Offset,
                    Limit = args.Limit,
                    HasMore = more,
                    NextOffset = more ? args.Offset + listed.Count : null,
                    Truncated = shaper.Summary(),
                };
            };
        });
    }
}
