using Orchestrator.Orchestration.Contract;
using Orchestrator.Orchestration.Storage;
using Orchestrator.Tooling;

namespace Orchestrator.Orchestration;

public sealed partial class TaskOrchestrator
{
    /// <summary><c>orchestrator_update_task</c>: title, description and complexity of a task still planned or in progress.</summary>
    public ToolOutcome<UpdateTaskResult> UpdateTask(UpdateTaskArgs args)
    {
        const string phase = "update_task";
        return Write(phase, sql =>
        {
            var errors = new ArgumentErrors();
            if (args.Title is null && args.Description is null && args.Complexity is null)
                errors.Add("title", "give at least one of title, description, complexity");
            var title = args.Title is null ? null : NonBlank(errors, "title", args.Title, MaxTitle);
            if (args.Description is { Length: > MaxText }) errors.Add("description", $"longer than {MaxText} characters");
            var task = TaskOrThrow(sql, args.TaskId, phase);
            Require(errors, phase);
            if (task.Status is TaskState.Completed or TaskState.Cancelled)
                throw OrchestrationException.InvalidState($"Task {task.Id} is {Wire(task.Status)}; only a planned or in-progress task can be updated", phase);

            var changed = new List<string>();
            var updated = task;
            if (title is not null && title != task.Title) { updated = updated with { Title = title }; changed.Add("title"); }
            if (args.Description?.Trim() is { } description && description != task.Description) { updated = updated with { Description = description }; changed.Add("description"); }
            if (args.Complexity is { } complexity && complexity != task.Complexity) { updated = updated with { Complexity = complexity }; changed.Add("complexity"); }
            if (changed.Count > 0)
            {
                updated = updated with { UpdatedAt = Now() };
                TaskRepository.Update(sql, updated);
            }
            var progress = SubtaskRepository.Progress(sql, [task.Id]);
            return new UpdateTaskResult { Task = OrchestrationMapper.ToView(updated) with { Progress = progress[task.Id] }, Changed = changed };
        });
    }
}
