using Orchestrator.Orchestration.Contract;
using Orchestrator.Tooling;

namespace Orchestrator.Orchestration;

/// <summary>
/// A revision of a stored plan, worked out in memory before anything is written, so that it applies all or nothing:
/// the subtasks removed, changed and added, and the plan that results (order, positions, dependencies). Problems with
/// the call's arguments go to <c>errors</c> (INVALID_PARAMETERS, each naming its field); changes the plan's state
/// does not allow (a subtask in progress, one others still depend on) go to <c>refusals</c> (INVALID_STATE).
/// </summary>
internal sealed class PlanRevision
{
    private static readonly SubtaskStatus[] Removable = [SubtaskStatus.Pending, SubtaskStatus.Failed, SubtaskStatus.Blocked];
    private static readonly SubtaskStatus[] Changeable = [SubtaskStatus.Pending, SubtaskStatus.Failed, SubtaskStatus.Blocked, SubtaskStatus.NeedsRevision];

    public List<Subtask> Removed { get; } = [];
    public List<Subtask> Added { get; } = [];
    public List<(Subtask Subtask, List<string> Fields)> Changed { get; } = [];

    /// <summary>Every subtask the task has after the revision, in order, with its position and dependencies as they will be stored.</summary>
    public List<Subtask> Plan { get; } = [];

    public bool Reordered { get; private set; }

    /// <param name="current">The task's subtasks in plan order, with their dependencies.</param>
    /// <param name="withResults">Ids of the subtasks that have an artifact (never removed: their work is kept).</param>
    public static PlanRevision Work(string taskId, IReadOnlyList<Subtask> current, IReadOnlySet<string> withResults, RevisePlanArgs args,
        IReadOnlyList<SpecialistRole> roles, Func<string> newId, DateTimeOffset now, ArgumentErrors errors, List<string> refusals)
    {
        var revision = new PlanRevision();
        var byId = current.ToDictionary(s => s.Id, StringComparer.Ordinal);
        var byKey = current.ToDictionary(s => s.Key, StringComparer.Ordinal);
        Subtask? Existing(string reference) => byId.GetValueOrDefault(reference) ?? byKey.GetValueOrDefault(reference);
        if (args.Add.Count == 0 && args.Remove.Count == 0 && args.Change.Count == 0 && args.Order is null)
            errors.Add("add", "give at least one of add, remove, change, order");

        var removed = new Dictionary<string, Subtask>(StringComparer.Ordinal);
        for (var i = 0; i < args.Remove.Count; i++)
        {
            var subtask = Existing(args.Remove[i]);
            if (subtask is null) errors.Add($"remove[{i}]", $"unknown subtask {PlanRules.Quote(args.Remove[i])} (no subtask of this task has that key or id)");
            else if (!removed.TryAdd(subtask.Id, subtask)) errors.Add($"remove[{i}]", $"\"{subtask.Key}\" is listed twice");
            else if (!Removable.Contains(subtask.Status) || withResults.Contains(subtask.Id))
                refusals.Add($"subtask {subtask.Id} (\"{subtask.Key}\") is {Wire(subtask.Status)}{(withResults.Contains(subtask.Id) ? " with a result" : "")}; "
                    + "only a pending, failed or blocked subtask without a result can be removed");
        }

        var changes = new Dictionary<string, SubtaskChange>(StringComparer.Ordinal);
        for (var j = 0; j < args.Change.Count; j++)
        {
            var change = args.Change[j];
            var subtask = Existing(change.Subtask);
            if (subtask is null)
            {
                errors.Add($"change[{j}].subtask", $"unknown subtask {PlanRules.Quote(change.Subtask)} (no subtask of this task has that key or id)");
                continue;
            }
            if (changes.ContainsKey(subtask.Id)) errors.Add($"change[{j}].subtask", $"\"{subtask.Key}\" is changed twice");
            else if (removed.ContainsKey(subtask.Id)) errors.Add($"change[{j}].subtask", $"\"{subtask.Key}\" is removed by this call");
            else changes[subtask.Id] = change;
            if (change is { Title: null, Description: null, Role: null, Complexity: null, EstimatedEffort: null, ReviewRequired: null, DependsOn: null })
                errors.Add($"change[{j}]", "give at least one field to change");
            PlanRules.Texts(errors, $"change[{j}].", change.Title, change.Description, change.EstimatedEffort);
            if (change.Role is not null) PlanRules.Role(errors, $"change[{j}].role", roles, change.Role);
            if (!Changeable.Contains(subtask.Status))
                refusals.Add($"subtask {subtask.Id} (\"{subtask.Key}\") is {Wire(subtask.Status)}; only a pending, failed, blocked or needs_revision "
                    + "subtask can be changed (one in progress or completed keeps what it consumed)");
        }

        // The keys the task has after the revision: the remaining subtasks' and the added ones'.
        var remaining = current.Where(s => !removed.ContainsKey(s.Id)).ToList();
        var finalKeys = remaining.ToDictionary(s => s.Key, s => s.Id, StringComparer.Ordinal);
        var addedIds = args.Add.Select(_ => newId()).ToArray();
        var addedKeys = new string[args.Add.Count];
        for (var k = 0; k < args.Add.Count; k++)
        {
            var planned = args.Add[k];
            var key = planned.Key?.Trim() ?? FreeKey(remaining.Count + k + 1, finalKeys, args.Add);
            addedKeys[k] = key;
            if (!PlanRules.IsKey(key)) errors.Add($"add[{k}].key", $"{PlanRules.Quote(key)} must match {PlanRules.KeyPattern}");
            else if (finalKeys.TryGetValue(key, out var holder))
                errors.Add($"add[{k}].key", $"\"{key}\" is already the key of {(addedIds.Contains(holder) ? $"add[{Array.IndexOf(addedIds, holder)}]" : $"subtask {holder}")}");
            else if (byId.ContainsKey(key)) errors.Add($"add[{k}].key", $"\"{key}\" is the id of another subtask");
            else finalKeys[key] = addedIds[k];
            PlanRules.Texts(errors, $"add[{k}].", planned.Title, planned.Description, planned.EstimatedEffort);
            PlanRules.Role(errors, $"add[{k}].role", roles, planned.Role);
        }
        var total = remaining.Count + args.Add.Count;
        if (total > Limits.MaxSubtasks) errors.Add("add", $"a task has at most {Limits.MaxSubtasks} subtasks; this revision would leave {total}");
        if (total == 0) errors.Add("remove", "a task keeps at least one subtask (cancel the task instead)");

        // A dependency names a subtask the task has after the revision, by id or by key.
        var finalIds = remaining.Select(s => s.Id).Concat(addedIds).ToHashSet(StringComparer.Ordinal);
        List<string> Resolve(IReadOnlyList<string> references, string field)
        {
            var ids = new List<string>();
            for (var d = 0; d < references.Count; d++)
            {
                var reference = references[d];
                var viaId = finalIds.Contains(reference) ? reference : null;
                var viaKey = finalKeys.GetValueOrDefault(reference);
                if (viaId is not null && viaKey is not null && viaId != viaKey)
                    errors.Add($"{field}[{d}]", $"\"{reference}\" is both the id of one subtask and the key of another");
                else if ((viaId ?? viaKey) is { } id)
                {
                    if (ids.Contains(id)) errors.Add($"{field}[{d}]", $"\"{reference}\" is listed twice");
                    else ids.Add(id);
                }
                else if (Existing(reference) is { } gone && removed.ContainsKey(gone.Id))
                    errors.Add($"{field}[{d}]", $"\"{gone.Key}\" is removed by this call");
                else errors.Add($"{field}[{d}]", $"unknown dependency {PlanRules.Quote(reference)} (no subtask has that key or id)");
            }
            return ids;
        }
        var dependencies = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var subtask in remaining)
        {
            var change = changes.GetValueOrDefault(subtask.Id);
            dependencies[subtask.Id] = change?.DependsOn is { } references
                ? Resolve(references, $"change[{IndexOfChange(args, change)}].depends_on")
                : subtask.DependsOn.ToList();
        }
        for (var k = 0; k < args.Add.Count; k++) dependencies[addedIds[k]] = Resolve(args.Add[k].DependsOn, $"add[{k}].depends_on");

        foreach (var gone in removed.Values)
        {
            var dependants = remaining.Where(s => dependencies[s.Id].Contains(gone.Id)).Select(s => $"\"{s.Key}\"").ToList();
            if (dependants.Count > 0)
                refusals.Add($"subtask {gone.Id} (\"{gone.Key}\") is a dependency of {string.Join(", ", dependants)}; "
                    + "rewire them in this call (change their depends_on) or remove them too");
        }

        // The order: the remaining subtasks as they were, then the added ones, unless the call gives it.
        var order = remaining.Select(s => s.Id).Concat(addedIds).ToList();
        if (args.Order is { } given)
        {
            var ordered = new List<string>();
            for (var o = 0; o < given.Count; o++)
            {
                var id = finalIds.Contains(given[o]) ? given[o] : finalKeys.GetValueOrDefault(given[o]);
                if (id is null) errors.Add($"order[{o}]", $"{PlanRules.Quote(given[o])} is not a subtask the task has after this call");
                else if (ordered.Contains(id)) errors.Add($"order[{o}]", $"\"{given[o]}\" is listed twice");
                else ordered.Add(id);
            }
            if (errors.Count > 0) return revision;
            var keyOf = finalKeys.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
            var missing = order.Where(id => !ordered.Contains(id)).Select(id => $"\"{keyOf[id]}\"").ToList();
            if (missing.Count > 0) errors.Add("order", $"must list every subtask once; missing {string.Join(", ", missing)}");
            order = ordered;
        }
        // A refused revision stops here (its graph may still point at removed subtasks); the call fails either way.
        if (errors.Count > 0 || refusals.Count > 0) return revision;

        var keys = order.Select(id => finalKeys.First(p => p.Value == id).Key).ToList();
        var index = order.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i, StringComparer.Ordinal);
        if (PlanRules.Cycle(keys, order.Select(id => (IReadOnlyList<int>)dependencies[id].Select(d => index[d]).ToList()).ToList()) is { } cycle)
        {
            errors.Add("depends_on", cycle);
            return revision;
        }

        revision.Removed.AddRange(removed.Values.OrderBy(s => s.Position));
        revision.Reordered = !order.SequenceEqual(remaining.Select(s => s.Id).Concat(addedIds));
        for (var position = 1; position <= order.Count; position++)
        {
            var id = order[position - 1];
            var depends = dependencies[id].Order(StringComparer.Ordinal).ToList();
            if (byId.TryGetValue(id, out var existing))
            {
                var updated = existing with { Position = position, DependsOn = depends };
                var fields = new List<string>();
                if (changes.TryGetValue(id, out var change)) updated = Apply(updated, change, existing, fields);
                if (!existing.DependsOn.Order(StringComparer.Ordinal).SequenceEqual(depends)) fields.Add("depends_on");
                if (fields.Count > 0 || existing.Position != position) updated = updated with { UpdatedAt = now };
                if (fields.Count > 0) revision.Changed.Add((updated, fields));
                revision.Plan.Add(updated);
            }
            else
            {
                var k = Array.IndexOf(addedIds, id);
                var planned = args.Add[k];
                var added = new Subtask
                {
                    Id = id, TaskId = taskId, Position = position, Key = addedKeys[k], Title = planned.Title.Trim(),
                    Description = planned.Description.Trim(), Role = planned.Role, Complexity = planned.Complexity,
                    EstimatedEffort = planned.EstimatedEffort?.Trim() is { Length: > 0 } e ? e : null, Status = SubtaskStatus.Pending,
                    ReviewRequired = planned.ReviewRequired, DependsOn = depends, CreatedAt = now, UpdatedAt = now,
                };
                revision.Plan.Add(added);
            }
        }
        revision.Added.AddRange(addedIds.Select(id => revision.Plan.Single(s => s.Id == id)));
        return revision;
    }

    /// <summary>The subtask with the change's fields applied; the names of those that differ are added to <paramref name="fields"/>.</summary>
    private static Subtask Apply(Subtask subtask, SubtaskChange change, Subtask before, List<string> fields)
    {
        if (change.Title?.Trim() is { } title && title != before.Title) { subtask = subtask with { Title = title }; fields.Add("title"); }
        if (change.Description?.Trim() is { } description && description != before.Description) { subtask = subtask with { Description = description }; fields.Add("description"); }
        if (change.Role is { } role && role != before.Role) { subtask = subtask with { Role = role }; fields.Add("role"); }
        if (change.Complexity is { } complexity && complexity != before.Complexity) { subtask = subtask with { Complexity = complexity }; fields.Add("complexity"); }
        if (change.EstimatedEffort is { } effort)
        {
            var trimmed = effort.Trim() is { Length: > 0 } e ? e : null;
            if (trimmed != before.EstimatedEffort) { subtask = subtask with { EstimatedEffort = trimmed }; fields.Add("estimated_effort"); }
        }
        if (change.ReviewRequired is { } review && review != before.ReviewRequired) { subtask = subtask with { ReviewRequired = review }; fields.Add("review_required"); }
        return subtask;
    }

    /// <summary>The first number from <paramref name="start"/> that is not yet a key (the default key of an added subtask).</summary>
    private static string FreeKey(int start, Dictionary<string, string> keys, IReadOnlyList<PlannedSubtask> added)
    {
        for (var n = start; ; n++)
        {
            var key = n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!keys.ContainsKey(key) && !added.Any(a => a.Key?.Trim() == key)) return key;
        }
    }

    private static int IndexOfChange(RevisePlanArgs args, SubtaskChange change)
    {
        for (var j = 0; j < args.Change.Count; j++)
            if (ReferenceEquals(args.Change[j], change)) return j;
        return -1;
    }

    private static string Wire(SubtaskStatus status) => OrchestrationMapper.ToDb(status);
}
