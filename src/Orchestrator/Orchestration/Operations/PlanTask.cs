using Orchestrator.Orchestration.Answers;
using Orchestrator.Orchestration.Contract;
using Orchestrator.Orchestration.Storage;
using Orchestrator.Tooling;

namespace Orchestrator.Orchestration;

public sealed partial class TaskOrchestrator
{
    /// <summary><c>orchestrator_plan_task</c>: validates the whole plan (roles, references, cycles) before storing any of it.</summary>
    public ToolOutcome<PlanTaskResult> PlanTask(PlanTaskArgs args, TaskCaller? caller = null)
    {
        const string phase = "plan_task";
        return Write<PlanTaskResult>(phase, caller ?? TaskCaller.None, sql =>
        {
            var session = SessionOrThrow(sql, args.SessionId, phase);
            var roles = _roles.For(session.WorkingDirectory);
            var errors = new ArgumentErrors();
            var title = NonBlank(errors, "title", args.Title, Limits.MaxTitle);
            if (args.Description.Length > Limits.MaxText) errors.Add("description", $"longer than {Limits.MaxText} characters");
            var tags = PlanRules.Tags(errors, "tags", args.Tags);
            if (args.Subtasks.Count == 0) errors.Add("subtasks", "must list at least one subtask");
            if (args.Subtasks.Count > Limits.MaxSubtasks) errors.Add("subtasks", $"at most {Limits.MaxSubtasks} subtasks per task, got {args.Subtasks.Count}");
            Require(errors, phase);

            // Keys first, so that references can be checked whichever order subtasks appear in.
            var keys = new string[args.Subtasks.Count];
            var indexOf = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < keys.Length; i++)
            {
                var key = args.Subtasks[i].Key?.Trim() ?? (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
                keys[i] = key;
                if (!PlanRules.IsKey(key)) errors.Add($"subtasks[{i}].key", $"{PlanRules.Quote(key)} must match {PlanRules.KeyPattern}");
                else if (!indexOf.TryAdd(key, i)) errors.Add($"subtasks[{i}].key", $"\"{key}\" is already the key of subtasks[{indexOf[key]}]");
            }
            var dependencies = new List<IReadOnlyList<int>>();
            for (var i = 0; i < keys.Length; i++)
            {
                var planned = args.Subtasks[i];
                PlanRules.Texts(errors, $"subtasks[{i}].", planned.Title, planned.Description, planned.EstimatedEffort);
                PlanRules.Role(errors, $"subtasks[{i}].role", roles, planned.Role);
                var edges = new List<int>();
                for (var d = 0; d < planned.DependsOn.Count; d++)
                {
                    var reference = planned.DependsOn[d];
                    if (!indexOf.TryGetValue(reference, out var target))
                        errors.Add($"subtasks[{i}].depends_on[{d}]", $"unknown dependency {PlanRules.Quote(reference)} (no subtask has that key)");
                    else if (edges.Contains(target))
                        errors.Add($"subtasks[{i}].depends_on[{d}]", $"\"{reference}\" is listed twice");
                    else edges.Add(target);
                }
                dependencies.Add(edges);
            }
            Require(errors, phase);
            if (PlanRules.Cycle(keys, dependencies) is { } cycle)
            {
                errors.Add("subtasks", cycle);
                Require(errors, phase);
            }

            var now = Now();
            var change = ChangeBy(caller, sql, now, phase);
            var task = new WorkTask
            {
                Id = _newId("task"), SessionId = session.Id, Title = title!, Description = args.Description.Trim(), Status = TaskState.Planned,
                Complexity = args.Complexity, Priority = args.Priority, Tags = tags, CreatedAt = now, UpdatedAt = now,
            };
            TaskRepository.Insert(sql, task);
            ChangeRecorder.TaskCreated(change, task);
            var ids = keys.Select(_ => _newId("sub")).ToArray();
            var subtasks = new List<Subtask>(keys.Length);
            for (var i = 0; i < keys.Length; i++)
            {
                var planned = args.Subtasks[i];
                subtasks.Add(new Subtask
                {
                    Id = ids[i], TaskId = task.Id, Position = i + 1, Key = keys[i], Title = planned.Title.Trim(), Description = planned.Description.Trim(),
                    Role = planned.Role, Complexity = planned.Complexity, EstimatedEffort = planned.EstimatedEffort?.Trim() is { Length: > 0 } e ? e : null,
                    Status = SubtaskStatus.Pending, ReviewRequired = planned.ReviewRequired,
                    DependsOn = dependencies[i].Select(d => ids[d]).Order(StringComparer.Ordinal).ToList(),
                    CreatedAt = now, UpdatedAt = now,
                });
            }
            // A subtask may depend on one listed after it, and edges reference both ends: rows first, then edges.
            foreach (var subtask in subtasks)
            {
                SubtaskRepository.Insert(sql, subtask, task);
                ChangeRecorder.SubtaskCreated(change, subtask);
            }
            foreach (var subtask in subtasks) SubtaskRepository.InsertDependencies(sql, subtask);
            (task, var outlines) = TaskLifecycle.Settle(change, task);
            subtasks = subtasks.Select(s => TaskLifecycle.Settled(s, outlines)).ToList();
            SessionRepository.Touch(sql, session.Id, now);

            var progress = SubtaskRepository.ProgressOf(subtasks.Select(s => (s.Status, 1)));
            return shaper => new PlanTaskResult
            {
                Task = Views.Task(shaper, task, progress),
                Subtasks = shaper.Items(subtasks, "subtasks", $"orchestrator_get_status with task_id {task.Id} and subtask_offset")
                    .Select(s => Views.Subtask(shaper, s)).ToList(),
                Ready = Views.Refs(shaper, subtasks.Where(s => s.IsReady), "ready", $"orchestrator_next_subtasks or orchestrator_get_status with task_id {task.Id}"),
                Truncated = shaper.Summary(),
            };
        });
    }
}
