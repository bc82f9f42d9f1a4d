using Orchestrator.Orchestration.Answers;
using Orchestrator.Orchestration.Storage;
using static Orchestrator.Orchestration.OrchestrationMapper;

namespace Orchestrator.Orchestration;

/// <summary>
/// Turns a change of a task or subtask (the record before and after) into its history row: the status move and every
/// field that differs, old and new values cut to <see cref="MaxValue"/> characters (the whole text stays on the task or
/// subtask; the history says that it changed and how it began). A change that alters nothing writes nothing. Derived
/// values (readiness counts, update times) are not history: they follow from what is recorded.
/// </summary>
internal static class ChangeRecorder
{
    /// <summary>Characters kept of an old or new value; a longer one ends with "…".</summary>
    public const int MaxValue = 200;

    public static void TaskCreated(Change change, WorkTask task) =>
        Write(change, task.Id, null, HistoryEvent.Created, null, Wire(task.Status), []);

    public static void SubtaskCreated(Change change, Subtask subtask) =>
        Write(change, subtask.TaskId, subtask.Id, HistoryEvent.Created, null, Wire(subtask.Status), []);

    public static void SubtaskRemoved(Change change, Subtask subtask) =>
        Write(change, subtask.TaskId, subtask.Id, HistoryEvent.Removed, Wire(subtask.Status), null, []);

    /// <summary>Records what differs between <paramref name="before"/> and <paramref name="after"/> of one task, if anything.</summary>
    public static void Task(Change change, WorkTask before, WorkTask after)
    {
        var fields = new List<FieldChange>();
        Compare(fields, "title", before.Title, after.Title);
        Compare(fields, "description", before.Description, after.Description);
        Compare(fields, "complexity", ToDb(before.Complexity), ToDb(after.Complexity));
        Compare(fields, "priority", ToDb(before.Priority), ToDb(after.Priority));
        Compare(fields, "tags", List(before.Tags), List(after.Tags));
        Compare(fields, "cancel_reason", before.CancelReason, after.CancelReason);
        Moved(change, after.Id, null, Wire(before.Status), Wire(after.Status), fields);
    }

    /// <summary>Records what differs between <paramref name="before"/> and <paramref name="after"/> of one subtask, if anything.</summary>
    public static void Subtask(Change change, Subtask before, Subtask after)
    {
        var fields = new List<FieldChange>();
        Compare(fields, "position", Number(before.Position), Number(after.Position));
        Compare(fields, "key", before.Key, after.Key);
        Compare(fields, "title", before.Title, after.Title);
        Compare(fields, "description", before.Description, after.Description);
        Compare(fields, "role", before.Role, after.Role);
        Compare(fields, "complexity", ToDb(before.Complexity), ToDb(after.Complexity));
        Compare(fields, "estimated_effort", before.EstimatedEffort, after.EstimatedEffort);
        Compare(fields, "review_required", Flag(before.ReviewRequired), Flag(after.ReviewRequired));
        Compare(fields, "depends_on", List(before.DependsOn), List(after.DependsOn));
        Compare(fields, "status_reason", before.StatusReason, after.StatusReason);
        Compare(fields, "revision_notes", before.RevisionNotes, after.RevisionNotes);
        Compare(fields, "stale_inputs", List(before.StaleInputs), List(after.StaleInputs));
        Compare(fields, "result_summary", before.ResultSummary, after.ResultSummary);
        Compare(fields, "file_paths", List(before.FilePaths), List(after.FilePaths));
        Compare(fields, "artifact_type", before.ArtifactType is { } b ? ToDb(b) : null, after.ArtifactType is { } a ? ToDb(a) : null);
        Compare(fields, "next_action", before.NextAction, after.NextAction);
        Moved(change, after.TaskId, after.Id, Wire(before.Status), Wire(after.Status), fields);
    }

    /// <summary>A value as history shows it: at most <see cref="MaxValue"/> characters.</summary>
    public static string? Bounded(string? value) =>
        value is null || CodePoints.Count(value) <= MaxValue ? value : CodePoints.Prefix(value, MaxValue - 1) + "…";

    private static void Moved(Change change, string taskId, string? subtaskId, string from, string to, List<FieldChange> fields)
    {
        if (from != to) Write(change, taskId, subtaskId, HistoryEvent.StatusChanged, from, to, fields);
        else if (fields.Count > 0) Write(change, taskId, subtaskId, HistoryEvent.Edited, from, to, fields);
    }

    private static void Write(Change change, string taskId, string? subtaskId, HistoryEvent kind, string? from, string? to, IReadOnlyList<FieldChange> fields) =>
        HistoryRepository.Insert(change.Sql, new HistoryEntry
        {
            TaskId = taskId, SubtaskId = subtaskId, At = change.Now, Event = kind, FromStatus = from, ToStatus = to, Changes = fields,
            Actor = change.Actor.Name, Tool = change.Tool,
        });

    private static void Compare(List<FieldChange> fields, string name, string? before, string? after)
    {
        if (!string.Equals(before, after, StringComparison.Ordinal)) fields.Add(new FieldChange(name, Bounded(before), Bounded(after)));
    }

    private static string? List(IReadOnlyList<string> items) => items.Count == 0 ? null : string.Join(", ", items);
    private static string Number(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
    private static string Flag(bool value) => value ? "true" : "false";
    private static string Wire(TaskState status) => ToDb(status);
    private static string Wire(SubtaskStatus status) => ToDb(status);
}
