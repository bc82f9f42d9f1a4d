using Orchestrator.Orchestration.Answers;
using Orchestrator.Orchestration.Contract;
using Orchestrator.Orchestration.Storage;
using Orchestrator.Tooling;

namespace Orchestrator.Orchestration;

public sealed partial class TaskOrchestrator
{
    /// <summary><c>orchestrator_update_task</c>: title, description, complexity, priority and tags of a task not completed or cancelled.</summary>
    public ToolOutcome<UpdateTaskResult> UpdateTask(UpdateTaskArgs args, TaskCaller? caller = null)
    {
        const string phase = "update_task";
        return Write<UpdateTaskResult>(phase, caller ?? TaskCaller.None, sql =>
        {
            var errors = new ArgumentErrors();
            if (args is { Title: null, Description: null, Complexity: null, Priority: null, Tags: null })
                errors.Add("title", "give at least one of title, description, complexity, priority, tags");
            var title = args.Title is null ? null : NonBlank(errors, "title", args.Title, Limits.MaxTitle);
            if (args.Description is { Length: > Limits.MaxText }) errors.Add("description", $"longer than {Limits.MaxText} characters");
            var tags = args.Tags is null ? null : PlanRules.Tags(errors, "tags", args.Tags);
            var task = TaskOrThrow(sql, args.TaskId, phase);
            Require(errors, phase);
            if (!task.IsOpen)
                throw OrchestrationException.InvalidState($"Task {task.Id} is {Wire(task.Status)}; only an open task (planned, in_progress, failed, blocked) can be updated", phase);

            var changed = new List<string>();
            var updated = task;
            if (title is not null && title != task.Title) { updated = updated with { Title = title }; changed.Add("title"); }
            if (args.Description?.Trim() is { } description && description != task.Description) { updated = updated with { Description = description }; changed.Add("description"); }
            if (args.Complexity is { } complexity && complexity != task.Complexity) { updated = updated with { Complexity = complexity }; changed.Add("complexity"); }
            if (args.Priority is { } priority && priority != task.Priority)
            {
                updated = updated with { Priority = priority };
                changed.Add("priority");
                SubtaskRepository.SetTaskPriority(sql, task.Id, priority);
            }
            if (tags is not null && !tags.SequenceEqual(task.Tags))
            {
                updated = updated with { Tags = tags };
                changed.Add("tags");
                TagRepository.Replace(sql, task.Id, tags);
            }
            if (changed.Count > 0)
            {
                var change = ChangeBy(caller, sql, Now(), phase);
                updated = updated with { UpdatedAt = change.Now };
                TaskRepository.Update(sql, updated);
                ChangeRecorder.Task(change, task, updated);
            }
            var progress = SubtaskRepository.Progress(sql, [task.Id]);
            return shaper => new UpdateTaskResult { Task = Views.Task(shaper, updated, progress[task.Id]), Changed = changed, Truncated = shaper.Summary() };
        });
    }
}
