using System.Text.RegularExpressions;
using Orchestrator.Orchestration.Contract;
using Orchestrator.Orchestration.Storage;
using Orchestrator.Tooling;

namespace Orchestrator.Orchestration;

public sealed partial class TaskOrchestrator
{
    public const int MaxSubtasks = 50;
    private const int MaxTitle = 200;
    private const int MaxText = 20_000;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")]
    private static partial Regex SubtaskKey();

    /// <summary><c>orchestrator_plan_task</c>: validates the whole plan (roles, references, cycles) before storing any of it.</summary>
    public ToolOutcome<PlanTaskResult> PlanTask(PlanTaskArgs args)
    {
        const string phase = "plan_task";
        return Write(phase, sql =>
        {
            var session = SessionOrThrow(sql, args.SessionId, phase);
            var roles = _roles.For(session.WorkingDirectory);
            var errors = new ArgumentErrors();
            var title = NonBlank(errors, "title", args.Title, MaxTitle);
            if (args.Description.Length > MaxText) errors.Add("description", $"longer than {MaxText} characters");
            if (args.Subtasks.Count == 0) errors.Add("subtasks", "must list at least one subtask");
            if (args.Subtasks.Count > MaxSubtasks) errors.Add("subtasks", $"at most {MaxSubtasks} subtasks per task, got {args.Subtasks.Count}");
            Require(errors, phase);

            // Keys first, so that references can be checked whichever order subtasks appear in.
            var keys = new string[args.Subtasks.Count];
            var indexOf = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < keys.Length; i++)
            {
                var key = args.Subtasks[i].Key?.Trim() ?? (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
                keys[i] = key;
                if (!SubtaskKey().IsMatch(key)) errors.Add($"subtasks[{i}].key", $"\"{key}\" must match ^[A-Za-z0-9][A-Za-z0-9_.-]{{0,39}}$");
                else if (!indexOf.TryAdd(key, i)) errors.Add($"subtasks[{i}].key", $"\"{key}\" is already the key of subtasks[{indexOf[key]}]");
            }
            var dependencies = new List<IReadOnlyList<int>>();
            for (var i = 0; i < keys.Length; i++)
            {
                var planned = args.Subtasks[i];
                NonBlank(errors, $"subtasks[{i}].title", planned.Title, MaxTitle);
                if (planned.Description.Length > MaxText) errors.Add($"subtasks[{i}].description", $"longer than {MaxText} characters");
                if (RoleCatalog.Find(roles, planned.Role) is null)
                    errors.Add($"subtasks[{i}].role", $"unknown role \"{planned.Role}\" (available: {string.Join(", ", roles.Select(r => r.Name))})");
                var edges = new List<int>();
                for (var d = 0; d < planned.DependsOn.Count; d++)
                {
                    var reference = planned.DependsOn[d];
                    if (!indexOf.TryGetValue(reference, out var target))
                        errors.Add($"subtasks[{i}].depends_on[{d}]", $"unknown dependency \"{reference}\" (no subtask has that key)");
                    else if (edges.Contains(target))
                        errors.Add($"subtasks[{i}].depends_on[{d}]", $"\"{reference}\" is listed twice");
                    else edges.Add(target);
                }
                dependencies.Add(edges);
            }
            Require(errors, phase);
            if (DependencyGraph.FindCycle(dependencies) is { } cycle)
            {
                var named = string.Join(" → ", cycle.Select(i => $"\"{keys[i]}\""));
                errors.Add("subtasks", cycle.Count == 2 ? $"subtask {named[..named.IndexOf(' ')]} depends on itself" : $"dependency cycle {named}");
                Require(errors, phase);
            }

            var now = Now();
            var task = new WorkTask
            {
                Id = _newId("task"), SessionId = session.Id, Title = title!, Description = args.Description.Trim(), Status = TaskState.Planned,
                Complexity = args.Complexity, CreatedAt = now, UpdatedAt = now,
            };
            TaskRepository.Insert(sql, task);
            var ids = keys.Select(_ => _newId("sub")).ToArray();
            var subtasks = new List<Subtask>(keys.Length);
            for (var i = 0; i < keys.Length; i++)
            {
                var planned = args.Subtasks[i];
                subtasks.Add(new Subtask
                {
                    Id = ids[i], TaskId = task.Id, Position = i + 1, Key = keys[i], Title = planned.Title.Trim(), Description = planned.Description.Trim(),
                    Role = planned.Role, Complexity = planned.Complexity, EstimatedEffort = planned.EstimatedEffort?.Trim() is { Length: > 0 } e ? e : null,
                    Status = SubtaskStatus.Pending, DependsOn = dependencies[i].Select(d => ids[d]).Order(StringComparer.Ordinal).ToList(),
                    CreatedAt = now, UpdatedAt = now,
                });
            }
            // A subtask may depend on one listed after it, and edges reference both ends: rows first, then edges.
            foreach (var subtask in subtasks) SubtaskRepository.Insert(sql, subtask);
            foreach (var subtask in subtasks) SubtaskRepository.InsertDependencies(sql, subtask);
            SessionRepository.Touch(sql, session.Id, now);

            return new PlanTaskResult
            {
                Task = OrchestrationMapper.ToView(task) with { Progress = SubtaskRepository.ProgressOf([(SubtaskStatus.Pending, subtasks.Count)]) },
                Subtasks = subtasks.Select(OrchestrationMapper.ToView).ToList(),
                Ready = subtasks.Where(s => s.DependsOn.Count == 0).Select(OrchestrationMapper.ToRef).ToList(),
            };
        });
    }
}
