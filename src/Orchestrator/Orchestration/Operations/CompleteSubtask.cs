using Orchestrator.Orchestration.Answers;
using Orchestrator.Orchestration.Contract;
using Orchestrator.Orchestration.Storage;
using Orchestrator.Tooling;

namespace Orchestrator.Orchestration;

public sealed partial class TaskOrchestrator
{
    /// <summary>
    /// <c>orchestrator_complete_subtask</c>: records the result of a subtask in progress and keeps its detailed work as an
    /// artifact. The subtask is completed, or waits in needs_review when its plan asks for a review; the task completes
    /// once no subtask is left unfinished (cancelled ones do not count).
    /// </summary>
    public ToolOutcome<CompleteSubtaskResult> CompleteSubtask(CompleteSubtaskArgs args, TaskCaller? caller = null)
    {
        const string phase = "complete_subtask";
        return Write<CompleteSubtaskResult>(phase, caller ?? TaskCaller.None, sql =>
        {
            var errors = new ArgumentErrors();
            var summary = NonBlank(errors, "summary", args.Summary, Limits.MaxText);
            var detailed = NonBlank(errors, "detailed_work", args.DetailedWork, Limits.MaxDetailedWork);
            var paths = FilePaths(errors, args.FilePaths);
            if (args.NextAction is { Length: > Limits.MaxNextAction }) errors.Add("next_action", $"longer than {Limits.MaxNextAction} characters");
            var agent = AgentOf(errors, args.Agent, caller ?? TaskCaller.None);
            var subtask = SubtaskOrThrow(sql, args.SubtaskId, phase);
            Require(errors, phase);
            var task = TaskOrThrow(sql, subtask.TaskId, phase);

            var now = Now();
            SubtaskClaims.RequireHolder(sql, subtask, agent, now, "complete", phase);
            var change = ChangeBy(Actor.Of(agent, null), sql, now, phase);
            var wasReady = ReadyIds(sql, task.Id);
            subtask = SubtaskLifecycle.Move(change, subtask, SubtaskMove.Complete, s => s with
            {
                ResultSummary = summary, FilePaths = paths, ArtifactType = args.ArtifactType,
                NextAction = args.NextAction?.Trim() is { Length: > 0 } next ? next : null,
                StatusReason = null, RevisionNotes = null,
            });
            var artifact = new Artifact { Id = _newId("art"), SubtaskId = subtask.Id, Type = args.ArtifactType, Content = detailed!, CreatedAt = now };
            ArtifactRepository.Insert(sql, artifact);
            (task, var siblings) = TaskLifecycle.Settle(change, task);
            subtask = TaskLifecycle.Settled(subtask, siblings);
            var newlyReady = siblings.Where(s => s.IsReady && !wasReady.Contains(s.Id)).ToList();

            return shaper => new CompleteSubtaskResult
            {
                Subtask = Views.Subtask(shaper, subtask),
                ArtifactId = artifact.Id,
                NewlyReady = Views.Refs(shaper, newlyReady, "newly_ready", $"orchestrator_next_subtasks or orchestrator_get_status with task_id {task.Id}"),
                TaskStatus = task.Status,
                Progress = SubtaskRepository.ProgressOf(siblings.Select(s => (s.Status, 1))),
                Truncated = shaper.Summary(),
            };
        });
    }

    /// <summary>The ids of a task's subtasks that are ready as stored now (before a change), to tell which a change made ready.</summary>
    private static HashSet<string> ReadyIds(Sql sql, string taskId) =>
        SubtaskRepository.OutlineOfTask(sql, taskId).Where(s => s.IsReady).Select(s => s.Id).ToHashSet(StringComparer.Ordinal);

    /// <summary>File paths trimmed and distinct, each non-empty, without a line break, within the limits.</summary>
    private static List<string> FilePaths(ArgumentErrors errors, IReadOnlyList<string> paths)
    {
        if (paths.Count > Limits.MaxFilePaths) errors.Add("file_paths", $"at most {Limits.MaxFilePaths} paths, got {paths.Count}");
        for (var i = 0; i < paths.Count && i < Limits.MaxFilePaths; i++)
        {
            if (string.IsNullOrWhiteSpace(paths[i])) errors.Add($"file_paths[{i}]", "must not be empty");
            else if (paths[i].Contains('\n') || paths[i].Contains('\r')) errors.Add($"file_paths[{i}]", "must not contain a line break");
            else if (paths[i].Length > Limits.MaxFilePath) errors.Add($"file_paths[{i}]", $"longer than {Limits.MaxFilePath} characters");
        }
        return paths.Select(p => p.Trim()).Distinct(StringComparer.Ordinal).ToList();
    }
}
