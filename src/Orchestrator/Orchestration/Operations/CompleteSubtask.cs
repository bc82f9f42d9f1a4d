using Orchestrator.Orchestration.Contract;
using Orchestrator.Orchestration.Storage;
using Orchestrator.Tooling;

namespace Orchestrator.Orchestration;

public sealed partial class TaskOrchestrator
{
    private const int MaxDetailedWork = 1_000_000;
    private const int MaxFilePaths = 200;

    /// <summary>
    /// <c>orchestrator_complete_subtask</c>: records the result of a subtask in progress, keeps its detailed work as an
    /// artifact, and completes the task once no subtask is left unfinished (cancelled ones do not count).
    /// </summary>
    public ToolOutcome<CompleteSubtaskResult> CompleteSubtask(CompleteSubtaskArgs args)
    {
        const string phase = "complete_subtask";
        return Write(phase, sql =>
        {
            var errors = new ArgumentErrors();
            var summary = NonBlank(errors, "summary", args.Summary, MaxText);
            var detailed = NonBlank(errors, "detailed_work", args.DetailedWork, MaxDetailedWork);
            if (args.FilePaths.Count > MaxFilePaths) errors.Add("file_paths", $"at most {MaxFilePaths} paths, got {args.FilePaths.Count}");
            for (var i = 0; i < args.FilePaths.Count && i < MaxFilePaths; i++)
            {
                if (string.IsNullOrWhiteSpace(args.FilePaths[i])) errors.Add($"file_paths[{i}]", "must not be empty");
                else if (args.FilePaths[i].Contains('\n') || args.FilePaths[i].Contains('\r')) errors.Add($"file_paths[{i}]", "must not contain a line break");
            }
            var subtask = SubtaskOrThrow(sql, args.SubtaskId, phase);
            Require(errors, phase);
            if (subtask.Status != SubtaskStatus.InProgress)
                throw OrchestrationException.InvalidState($"Subtask {subtask.Id} (\"{subtask.Key}\") is {Wire(subtask.Status)}; only a subtask in progress can be completed"
                    + (subtask.Status == SubtaskStatus.Pending ? " (call orchestrator_execute_subtask first)" : ""), phase);
            var task = TaskOrThrow(sql, subtask.TaskId, phase);

            var now = Now();
            subtask = subtask with
            {
                Status = SubtaskStatus.Completed, ResultSummary = summary, FilePaths = args.FilePaths.Select(p => p.Trim()).Distinct(StringComparer.Ordinal).ToList(),
                ArtifactType = args.ArtifactType, NextAction = args.NextAction?.Trim() is { Length: > 0 } next ? next : null, UpdatedAt = now,
            };
            SubtaskRepository.UpdateProgress(sql, subtask);
            var artifact = new Artifact { Id = _newId("art"), SubtaskId = subtask.Id, Type = args.ArtifactType, Content = detailed!, CreatedAt = now };
            ArtifactRepository.Insert(sql, artifact);

            var siblings = SubtaskRepository.OfTask(sql, task.Id);
            var status = siblings.ToDictionary(s => s.Id, s => s.Status, StringComparer.Ordinal);
            var newlyReady = siblings
                .Where(s => s.Status == SubtaskStatus.Pending && s.DependsOn.Contains(subtask.Id) && s.DependsOn.All(d => status[d] == SubtaskStatus.Completed))
                .Select(OrchestrationMapper.ToRef).ToList();
            var finished = siblings.All(s => s.Status is SubtaskStatus.Completed or SubtaskStatus.Cancelled);
            task = task with { Status = finished ? TaskState.Completed : TaskState.InProgress, UpdatedAt = now };
            TaskRepository.Update(sql, task);

            return new CompleteSubtaskResult
            {
                Subtask = OrchestrationMapper.ToView(subtask),
                ArtifactId = artifact.Id,
                NewlyReady = newlyReady,
                TaskStatus = task.Status,
                Progress = SubtaskRepository.ProgressOf(siblings.Select(s => (s.Status, 1))),
            };
        });
    }
}
