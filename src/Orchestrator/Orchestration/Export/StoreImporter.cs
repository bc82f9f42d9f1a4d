using Orchestrator.Orchestration.Storage;
using static Orchestrator.Orchestration.OrchestrationMapper;

namespace Orchestrator.Orchestration.Export;

/// <summary>
/// Writes an export into a store, in the caller's one transaction: first every check (the document's own references
/// and values, then its ids against the store), collecting every problem; only when there is none, the rows. A refused
/// import throws <see cref="ImportRefusedException"/> before writing anything. Derived values (readiness counts, the
/// search index, a subtask's copy of its task's session and priority) are computed as the rows are written.
/// </summary>
internal static class StoreImporter
{
    private static readonly HashSet<string> TaskStates = [.. Enum.GetValues<TaskState>().Select(ToDb)];
    private static readonly HashSet<string> SubtaskStates = [.. Enum.GetValues<SubtaskStatus>().Select(ToDb)];
    private static readonly HashSet<string> Complexities = [.. Enum.GetValues<Complexity>().Select(ToDb)];
    private static readonly HashSet<string> Priorities = [.. Enum.GetValues<Priority>().Select(ToDb)];
    private static readonly HashSet<string> ArtifactTypes = [.. Enum.GetValues<ArtifactType>().Select(ToDb)];
    private static readonly HashSet<string> Events = [.. Enum.GetValues<HistoryEvent>().Select(ToDb)];

    public static ImportSummary Import(Sql sql, ExportDocument export, IdMode mode, Func<string, string> newId)
    {
        var problems = Check(export);
        if (problems.Count > 0) throw new ImportRefusedException($"the export has {problems.Count} problem(s); nothing was imported", problems);
        var sessionIds = MapSessions(sql, export, mode, problems, newId);
        if (mode == IdMode.Keep) Collisions(sql, export, problems);
        if (problems.Count > 0) throw new ImportRefusedException($"the export does not fit this store ({problems.Count} problem(s)); nothing was imported", problems);

        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        string Id(string old, string prefix)
        {
            if (mode == IdMode.Keep) return old;
            if (!ids.TryGetValue(old, out var id)) ids[old] = id = newId(prefix);
            return id;
        }

        var joined = 0;
        foreach (var session in export.Sessions)
        {
            var (id, existing) = sessionIds[session.Id];
            if (existing) { joined++; continue; }
            SessionRepository.Insert(sql, new Session { Id = id, WorkingDirectory = session.WorkingDirectory, CreatedAt = session.CreatedAt, LastActiveAt = session.LastActiveAt });
        }
        var tasks = new Dictionary<string, WorkTask>(StringComparer.Ordinal);
        foreach (var t in export.Tasks)
        {
            var task = new WorkTask
            {
                Id = Id(t.Id, "task"), SessionId = sessionIds[t.SessionId].Id, Title = t.Title, Description = t.Description, Status = ToTaskState(t.Status),
                Complexity = ToComplexity(t.Complexity), Priority = ToPriority(t.Priority), Tags = [.. t.Tags.Order(StringComparer.Ordinal)],
                CancelReason = t.CancelReason, CreatedAt = t.CreatedAt, UpdatedAt = t.UpdatedAt,
            };
            TaskRepository.Insert(sql, task);
            tasks[t.Id] = task;
        }
        foreach (var s in export.Subtasks)
        {
            SubtaskRepository.Insert(sql, new Subtask
            {
                Id = Id(s.Id, "sub"), TaskId = tasks[s.TaskId].Id, Position = s.Position, Key = s.Key, Title = s.Title, Description = s.Description,
                Role = s.Role, Complexity = ToComplexity(s.Complexity), EstimatedEffort = s.EstimatedEffort, Status = ToSubtaskStatus(s.Status),
                ReviewRequired = s.ReviewRequired, StatusReason = s.StatusReason, RevisionNotes = s.RevisionNotes,
                StaleInputs = [.. s.StaleInputs.Select(i => Id(i, "sub"))], ResultSummary = s.ResultSummary, FilePaths = s.FilePaths,
                ArtifactType = s.ArtifactType is { } type ? ToArtifactType(type) : null, NextAction = s.NextAction, CreatedAt = s.CreatedAt, UpdatedAt = s.UpdatedAt,
            }, tasks[s.TaskId]);
        }
        foreach (var d in export.Dependencies)
            sql.Execute("INSERT INTO subtask_dependencies (subtask_id, depends_on_id) VALUES ($id, $dep)", ("$id", Id(d.SubtaskId, "sub")), ("$dep", Id(d.DependsOnId, "sub")));
        foreach (var task in tasks.Values) TaskLifecycle.SettleReadiness(sql, task.Id);
        foreach (var a in export.Artifacts)
            ArtifactRepository.Insert(sql, new Artifact { Id = Id(a.Id, "art"), SubtaskId = Id(a.SubtaskId, "sub"), Type = ToArtifactType(a.Type), Content = a.Content, CreatedAt = a.CreatedAt });
        foreach (var h in export.History)
            HistoryRepository.Insert(sql, new HistoryEntry
            {
                TaskId = tasks[h.TaskId].Id, SubtaskId = h.SubtaskId is { } sub ? Id(sub, "sub") : null, At = h.At, Event = ToHistoryEvent(h.Event),
                FromStatus = h.From, ToStatus = h.To, Changes = h.Changes?.Select(c => new FieldChange(c.Field, c.From, c.To)).ToList() ?? [],
                Actor = h.Actor, Tool = h.Tool,
            });
        return new ImportSummary(mode, export.Sessions.Count - joined, joined, export.Tasks.Count, export.Subtasks.Count, export.Dependencies.Count,
            export.Artifacts.Count, export.History.Count);
    }

    /// <summary>The document's own consistency: unique ids, known values, every reference to a row of the document.</summary>
    private static List<string> Check(ExportDocument export)
    {
        var problems = new List<string>();
        var sessions = Unique(problems, "session", export.Sessions.Select(s => s.Id));
        Unique(problems, "session working directory", export.Sessions.Select(s => s.WorkingDirectory));
        foreach (var s in export.Sessions.Where(s => !Path.IsPathFullyQualified(s.WorkingDirectory)))
            problems.Add($"session {s.Id}: working_directory \"{s.WorkingDirectory}\" is not an absolute path");
        var tasks = Unique(problems, "task", export.Tasks.Select(t => t.Id));
        foreach (var t in export.Tasks)
        {
            if (!sessions.Contains(t.SessionId)) problems.Add($"task {t.Id}: its session {t.SessionId} is not in the export");
            Known(problems, $"task {t.Id}", "status", t.Status, TaskStates);
            Known(problems, $"task {t.Id}", "complexity", t.Complexity, Complexities);
            Known(problems, $"task {t.Id}", "priority", t.Priority, Priorities);
            if (string.IsNullOrWhiteSpace(t.Title)) problems.Add($"task {t.Id}: title is empty");
        }
        var subtasks = Unique(problems, "subtask", export.Subtasks.Select(s => s.Id));
        var taskOf = export.Subtasks.GroupBy(s => s.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().TaskId, StringComparer.Ordinal);
        foreach (var s in export.Subtasks)
        {
            var where = $"subtask {s.Id}";
            if (!tasks.Contains(s.TaskId)) problems.Add($"{where}: its task {s.TaskId} is not in the export");
            Known(problems, where, "status", s.Status, SubtaskStates);
            Known(problems, where, "complexity", s.Complexity, Complexities);
            if (s.ArtifactType is { } type) Known(problems, where, "artifact_type", type, ArtifactTypes);
            if (s.Position < 1) problems.Add($"{where}: position {s.Position} is not 1 or more");
            if (string.IsNullOrWhiteSpace(s.Key)) problems.Add($"{where}: key is empty");
            foreach (var stale in s.StaleInputs.Where(i => !taskOf.TryGetValue(i, out var task) || task != s.TaskId))
                problems.Add($"{where}: stale input {stale} is not a subtask of its task in the export");
        }
        foreach (var group in export.Subtasks.GroupBy(s => (s.TaskId, s.Position)).Where(g => g.Count() > 1))
            problems.Add($"task {group.Key.TaskId}: subtasks {string.Join(", ", group.Select(s => s.Id))} share position {group.Key.Position}");
        foreach (var group in export.Subtasks.GroupBy(s => (s.TaskId, s.Key)).Where(g => g.Count() > 1))
            problems.Add($"task {group.Key.TaskId}: subtasks {string.Join(", ", group.Select(s => s.Id))} share key \"{group.Key.Key}\"");
        Unique(problems, "dependency", export.Dependencies.Select(d => d.SubtaskId + " on " + d.DependsOnId));
        foreach (var d in export.Dependencies)
        {
            var where = $"dependency of {d.SubtaskId} on {d.DependsOnId}";
            if (!subtasks.Contains(d.SubtaskId)) problems.Add($"{where}: subtask {d.SubtaskId} is not in the export");
            else if (!subtasks.Contains(d.DependsOnId)) problems.Add($"{where}: subtask {d.DependsOnId} is not in the export");
            else if (d.SubtaskId == d.DependsOnId) problems.Add($"{where}: a subtask cannot depend on itself");
            else if (taskOf[d.SubtaskId] != taskOf[d.DependsOnId]) problems.Add($"{where}: they belong to different tasks");
        }
        if (problems.Count == 0) Cycles(problems, export);
        Unique(problems, "artifact", export.Artifacts.Select(a => a.Id));
        foreach (var a in export.Artifacts)
        {
            if (!subtasks.Contains(a.SubtaskId)) problems.Add($"artifact {a.Id}: its subtask {a.SubtaskId} is not in the export");
            Known(problems, $"artifact {a.Id}", "type", a.Type, ArtifactTypes);
        }
        for (var i = 0; i < export.History.Count; i++)
        {
            var h = export.History[i];
            var where = $"history[{i}]";
            if (!tasks.Contains(h.TaskId)) problems.Add($"{where}: its task {h.TaskId} is not in the export");
            // A subtask a revision removed is named by its history only; one in the export must be of the same task.
            else if (h.SubtaskId is { } sub && taskOf.TryGetValue(sub, out var owner) && owner != h.TaskId)
                problems.Add($"{where}: subtask {sub} belongs to task {owner}, not {h.TaskId}");
            Known(problems, where, "event", h.Event, Events);
            if (string.IsNullOrWhiteSpace(h.Actor)) problems.Add($"{where}: actor is empty");
            if (string.IsNullOrWhiteSpace(h.Tool)) problems.Add($"{where}: tool is empty");
        }
        return problems;
    }

    /// <summary>Dependencies must leave every task's subtasks executable: no cycle.</summary>
    private static void Cycles(List<string> problems, ExportDocument export)
    {
        foreach (var task in export.Subtasks.GroupBy(s => s.TaskId, StringComparer.Ordinal))
        {
            var ids = task.Select(s => s.Id).ToList();
            var index = ids.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i, StringComparer.Ordinal);
            var edges = ids.Select(_ => new List<int>()).ToList();
            foreach (var d in export.Dependencies.Where(d => index.ContainsKey(d.SubtaskId))) edges[index[d.SubtaskId]].Add(index[d.DependsOnId]);
            if (PlanRules.Cycle(ids, edges) is { } cycle) problems.Add($"task {task.Key}: {cycle}");
        }
    }

    /// <summary>The store's session for each session of the export, or why it cannot have one.</summary>
    private static Dictionary<string, (string Id, bool Existing)> MapSessions(Sql sql, ExportDocument export, IdMode mode, List<string> problems, Func<string, string> newId)
    {
        var map = new Dictionary<string, (string, bool)>(StringComparer.Ordinal);
        foreach (var session in export.Sessions)
        {
            var byDirectory = SessionRepository.ByWorkingDirectory(sql, session.WorkingDirectory);
            if (mode == IdMode.New) map[session.Id] = byDirectory is { } joined ? (joined.Id, true) : (newId("sess"), false);
            else if (byDirectory is { } same && same.Id == session.Id) map[session.Id] = (session.Id, true);
            else if (byDirectory is { } other)
                problems.Add($"session {session.Id}: the store's session {other.Id} already has working directory {session.WorkingDirectory} (--new-ids adds the tasks to it)");
            else if (SessionRepository.Get(sql, session.Id) is { } taken)
                problems.Add($"session {session.Id}: the store already has this id, for working directory {taken.WorkingDirectory} (--new-ids imports under fresh ids)");
            else map[session.Id] = (session.Id, false);
        }
        return map;
    }

    /// <summary>With kept ids, every task, subtask and artifact id must be new to the store.</summary>
    private static void Collisions(Sql sql, ExportDocument export, List<string> problems)
    {
        void Taken(string table, string what, IEnumerable<string> ids)
        {
            foreach (var id in ids)
                if (sql.Scalar($"SELECT EXISTS (SELECT 1 FROM {table} WHERE id = $id)", ("$id", id)) != 0)
                    problems.Add($"{what} {id} already exists in the store (--new-ids imports under fresh ids)");
        }
        Taken("tasks", "task", export.Tasks.Select(t => t.Id));
        Taken("subtasks", "subtask", export.Subtasks.Select(s => s.Id));
        Taken("artifacts", "artifact", export.Artifacts.Select(a => a.Id));
    }

    private static HashSet<string> Unique(List<string> problems, string what, IEnumerable<string> ids)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in ids)
            if (!seen.Add(id)) problems.Add($"{what} {id} appears twice");
        return seen;
    }

    private static void Known(List<string> problems, string where, string field, string value, HashSet<string> known)
    {
        if (!known.Contains(value)) problems.Add($"{where}: {field} \"{value}\" is not one of {string.Join(", ", known)}");
    }
}
