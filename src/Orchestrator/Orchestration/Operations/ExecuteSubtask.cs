using System.Text;
using Orchestrator.Orchestration.Contract;
using Orchestrator.Orchestration.Storage;
using Orchestrator.Tooling;

namespace Orchestrator.Orchestration;

public sealed partial class TaskOrchestrator
{
    /// <summary>
    /// <c>orchestrator_execute_subtask</c>: a pending (or suspended) subtask whose dependencies are all completed goes
    /// in progress, and its task too. Executing a subtask already in progress changes nothing and gives the context
    /// again, so that a client that lost it (e.g. across its own restart) can carry on.
    /// </summary>
    public ToolOutcome<ExecuteSubtaskResult> ExecuteSubtask(ExecuteSubtaskArgs args)
    {
        const string phase = "execute_subtask";
        return Write(phase, sql =>
        {
            var subtask = SubtaskOrThrow(sql, args.SubtaskId, phase);
            var task = TaskOrThrow(sql, subtask.TaskId, phase);
            if (task.Status is TaskState.Cancelled or TaskState.Completed)
                throw OrchestrationException.InvalidState($"Task {task.Id} is {Wire(task.Status)}; its subtasks cannot be executed", phase);
            if (subtask.Status is SubtaskStatus.Completed or SubtaskStatus.Cancelled)
                throw OrchestrationException.InvalidState($"Subtask {subtask.Id} (\"{subtask.Key}\") is {Wire(subtask.Status)}; only a pending subtask can be executed", phase);

            var siblings = SubtaskRepository.OfTask(sql, task.Id).ToDictionary(s => s.Id, StringComparer.Ordinal);
            var dependencies = subtask.DependsOn.Select(id => siblings[id]).OrderBy(s => s.Position).ToList();
            var unmet = dependencies.Where(d => d.Status != SubtaskStatus.Completed).ToList();
            if (unmet.Count > 0)
                throw OrchestrationException.InvalidState($"Subtask {subtask.Id} (\"{subtask.Key}\") has unmet dependencies: "
                    + string.Join(", ", unmet.Select(d => $"\"{d.Key}\" ({d.Id}) is {Wire(d.Status)}")), phase);

            var session = SessionOrThrow(sql, task.SessionId, phase);
            var role = RoleCatalog.Find(_roles.For(session.WorkingDirectory), subtask.Role)
                ?? throw OrchestrationException.InvalidState(
                    $"Role \"{subtask.Role}\" of subtask {subtask.Id} is no longer defined (was it removed from {RolesFile.PathIn(session.WorkingDirectory)}?)", phase);

            var already = subtask.Status == SubtaskStatus.InProgress;
            if (!already)
            {
                var now = Now();
                subtask = subtask with { Status = SubtaskStatus.InProgress, UpdatedAt = now };
                SubtaskRepository.UpdateProgress(sql, subtask);
                if (task.Status == TaskState.Planned) TaskRepository.Update(sql, task with { Status = TaskState.InProgress, UpdatedAt = now });
                else TaskRepository.Update(sql, task with { UpdatedAt = now });
            }

            var artifacts = ArtifactRepository.LatestOf(sql, dependencies.Select(d => d.Id));
            return new ExecuteSubtaskResult
            {
                Subtask = OrchestrationMapper.ToView(subtask),
                AlreadyInProgress = already,
                RolePrompt = role.Prompt,
                Goal = task.Description.Length == 0 ? task.Title : $"{task.Title}\n\n{task.Description}",
                TaskId = task.Id,
                DependencyResults = dependencies.Select(d => ResultOf(d, artifacts)).ToList(),
                Instructions = Instructions(subtask, dependencies.Count),
            };
        });
    }

    private static DependencyResult ResultOf(Subtask subtask, Dictionary<string, Artifact> artifacts) => new()
    {
        SubtaskId = subtask.Id,
        Title = subtask.Title,
        Role = subtask.Role,
        Summary = subtask.ResultSummary ?? "",
        DetailedWork = artifacts.TryGetValue(subtask.Id, out var artifact) ? artifact.Content : "",
        FilePaths = subtask.FilePaths,
        ArtifactType = subtask.ArtifactType,
        NextAction = subtask.NextAction,
    };

    private static string Instructions(Subtask subtask, int dependencyCount)
    {
        var text = new StringBuilder();
        text.Append("Act as the ").Append(subtask.Role).Append(" described in role_prompt. Your subtask: ").Append(subtask.Title);
        if (subtask.Description.Length > 0) text.Append(" — ").Append(subtask.Description);
        text.Append(". It serves the goal above");
        if (dependencyCount > 0) text.Append("; build on the ").Append(dependencyCount).Append(" dependency result(s) given");
        text.Append(". When done, call orchestrator_complete_subtask with subtask_id \"").Append(subtask.Id)
            .Append("\", a short summary, the detailed work, the file paths you touched, the artifact type and the next action.");
        return text.ToString();
    }
}
