using Orchestrator.Orchestration.Storage;

namespace Orchestrator.Orchestration;

/// <summary>
/// What follows from a task's subtasks, in one place: its status (a task is completed only when every subtask not
/// cancelled is completed; a failed or blocked subtask shows on the task), and the readiness counts that "next" ranks
/// by (dependencies not completed; unfinished subtasks waiting on each). Every call that changes subtasks settles their
/// task here afterwards, in the same transaction.
/// </summary>
internal static class TaskLifecycle
{
    /// <summary>
    /// The status a task's subtasks give it. Cancelled stays cancelled; all (not cancelled) completed is completed; then
    /// a failed subtask makes it failed, a blocked one blocked; a task nobody has started stays planned; else in progress.
    /// </summary>
    public static TaskState Derive(TaskState current, IEnumerable<SubtaskStatus> statuses)
    {
        if (current == TaskState.Cancelled) return TaskState.Cancelled;
        var counted = statuses.Where(s => s != SubtaskStatus.Cancelled).ToList();
        if (counted.All(s => s == SubtaskStatus.Completed)) return TaskState.Completed;
        if (counted.Contains(SubtaskStatus.Failed)) return TaskState.Failed;
        if (counted.Contains(SubtaskStatus.Blocked)) return TaskState.Blocked;
        if (current == TaskState.Planned && counted.All(s => s == SubtaskStatus.Pending)) return TaskState.Planned;
        return TaskState.InProgress;
    }

    /// <summary>
    /// Brings a task in line with its subtasks as stored now: rewrites the readiness counts that changed, derives its
    /// status, and writes it with the change's time as its update time, and to its history what changed since
    /// <paramref name="before"/> (the task as the call found it; by default <paramref name="task"/>). Returns the task
    /// and the outlines of its subtasks as settled (<see cref="SubtaskRepository.OutlineOfTask"/>: no long texts).
    /// </summary>
    public static (WorkTask Task, List<Subtask> Subtasks) Settle(Change change, WorkTask task, WorkTask? before = null)
    {
        var subtasks = SettleReadiness(change.Sql, task.Id);
        var settled = task with { Status = Derive(task.Status, subtasks.Select(s => s.Status)), UpdatedAt = change.Now };
        TaskRepository.Update(change.Sql, settled);
        ChangeRecorder.Task(change, before ?? task, settled);
        return (settled, subtasks);
    }

    /// <summary>
    /// Rewrites the readiness counts of a task's subtasks that differ from what their statuses and edges give (an import
    /// computes them this way too), and returns the outlines of its subtasks with the counts as they now are.
    /// </summary>
    public static List<Subtask> SettleReadiness(Sql sql, string taskId)
    {
        var subtasks = SubtaskRepository.OutlineOfTask(sql, taskId);
        var status = subtasks.ToDictionary(s => s.Id, s => s.Status, StringComparer.Ordinal);
        var waiting = subtasks.SelectMany(s => s.DependsOn.Select(d => (Dependency: d, Dependant: s)))
            .Where(e => e.Dependant.Status is not (SubtaskStatus.Completed or SubtaskStatus.Cancelled))
            .ToLookup(e => e.Dependency, StringComparer.Ordinal);
        for (var i = 0; i < subtasks.Count; i++)
        {
            var subtask = subtasks[i];
            var unmet = subtask.DependsOn.Count(d => status[d] != SubtaskStatus.Completed);
            var dependants = waiting[subtask.Id].Count();
            if (unmet == subtask.UnmetDependencies && dependants == subtask.Dependants) continue;
            SubtaskRepository.UpdateReadiness(sql, subtask.Id, unmet, dependants);
            subtasks[i] = subtask with { UnmetDependencies = unmet, Dependants = dependants };
        }
        return subtasks;
    }

    /// <summary><paramref name="subtask"/> (whole, as a call moved it) with the readiness counts its task's settling gave it.</summary>
    public static Subtask Settled(Subtask subtask, IReadOnlyList<Subtask> outlines)
    {
        var outline = outlines.Single(s => s.Id == subtask.Id);
        return subtask with { UnmetDependencies = outline.UnmetDependencies, Dependants = outline.Dependants };
    }
}
