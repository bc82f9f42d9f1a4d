using Orchestrator.Orchestration.Answers;
using Orchestrator.Orchestration.Contract;
using Orchestrator.Orchestration.Storage;
using Orchestrator.Tooling;

namespace Orchestrator.Orchestration;

public sealed partial class TaskOrchestrator
{
    /// <summary>
    /// <c>orchestrator_revise_plan</c>: adds, removes, changes and reorders subtasks of a stored plan in one transaction,
    /// all or nothing. The whole revision is worked out and checked first (<see cref="PlanRevision"/>: the checks of
    /// plan_task plus what the plan's state allows), then written; the answer says what changed and what is ready.
    /// A completed task that gains work is in progress again; a cancelled task cannot be revised.
    /// </summary>
    public ToolOutcome<RevisePlanResult> RevisePlan(RevisePlanArgs args, TaskCaller? caller = null)
    {
        const string phase = "revise_plan";
        return Write<RevisePlanResult>(phase, caller ?? TaskCaller.None, sql =>
        {
            var task = TaskOrThrow(sql, args.TaskId, phase);
            if (task.Status == TaskState.Cancelled) throw OrchestrationException.InvalidState($"Task {task.Id} is cancelled; its plan cannot change", phase);
            var session = SessionOrThrow(sql, task.SessionId, phase);
            var current = SubtaskRepository.OfTask(sql, task.Id);
            var withResults = current.Where(s => ArtifactRepository.AnyOf(sql, s.Id)).Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
            var now = Now();
            var errors = new ArgumentErrors();
            var refusals = new List<string>();
            var revision = PlanRevision.Work(task.Id, current, withResults, args, _roles.For(session.WorkingDirectory), () => _newId("sub"), now, errors, refusals);
            Require(errors, phase);
            if (refusals.Count > 0)
                throw OrchestrationException.InvalidState($"Cannot revise the plan of task {task.Id}: {string.Join("; ", refusals)}", phase);

            // Foreign keys order the writes: edges leave the removed subtasks (one may depend on another removed one);
            // positions are parked so that the new ones can be written in any order; added rows exist before any edge
            // points at them (a kept subtask may come to depend on one added after it); removed rows go last.
            foreach (var gone in revision.Removed) sql.Execute("DELETE FROM subtask_dependencies WHERE subtask_id = $id", ("$id", gone.Id));
            SubtaskRepository.ParkPositions(sql, task.Id);
            var change = ChangeBy(caller, sql, now, phase);
            foreach (var added in revision.Added)
            {
                SubtaskRepository.Insert(sql, added, task);
                ChangeRecorder.SubtaskCreated(change, added);
            }
            var before = current.ToDictionary(s => s.Id, StringComparer.Ordinal);
            foreach (var subtask in revision.Plan.Where(s => before.ContainsKey(s.Id)))
            {
                SubtaskRepository.Update(sql, subtask);
                ChangeRecorder.Subtask(change, before[subtask.Id], subtask);
                if (!before[subtask.Id].DependsOn.Order(StringComparer.Ordinal).SequenceEqual(subtask.DependsOn)) SubtaskRepository.ReplaceDependencies(sql, subtask);
            }
            foreach (var added in revision.Added) SubtaskRepository.InsertDependencies(sql, added);
            foreach (var gone in revision.Removed)
            {
                SubtaskRepository.Delete(sql, gone.Id);
                ChangeRecorder.SubtaskRemoved(change, gone);
            }
            (task, var subtasks) = TaskLifecycle.Settle(change, task);
            SessionRepository.Touch(sql, session.Id, now);

            var keyOf = subtasks.ToDictionary(s => s.Id, s => s.Key, StringComparer.Ordinal);
            var progress = SubtaskRepository.ProgressOf(subtasks.Select(s => (s.Status, 1)));
            var byId = subtasks.ToDictionary(s => s.Id, StringComparer.Ordinal);
            var rest = $"orchestrator_get_status with task_id {task.Id}";
            return shaper => new RevisePlanResult
            {
                Task = Views.Task(shaper, task, progress),
                Added = Views.Refs(shaper, revision.Added.Select(a => byId[a.Id]), "added", rest),
                Removed = Views.Refs(shaper, revision.Removed, "removed", "they no longer exist"),
                Changed = shaper.Items(revision.Changed, "changed", rest)
                    .Select(c => new ChangedSubtask { Id = c.Subtask.Id, Key = c.Subtask.Key, Fields = c.Fields }).ToList(),
                Reordered = revision.Reordered,
                Ready = Views.Refs(shaper, subtasks.Where(s => s.IsReady), "ready", "orchestrator_next_subtasks"),
                Plan = shaper.Items(subtasks, "plan", rest).Select(s => new PlanStep
                {
                    Position = s.Position, Id = s.Id, Key = s.Key, Title = shaper.Text(s.Title, TextRef.Subtask(s.Id, "title")), Status = s.Status,
                    DependsOn = s.DependsOn.Select(d => keyOf[d]).ToList(),
                }).ToList(),
                Truncated = shaper.Summary(),
            };
        });
    }
}
