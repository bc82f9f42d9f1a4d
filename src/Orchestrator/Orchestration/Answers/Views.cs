using Orchestrator.Orchestration.Contract;

namespace Orchestrator.Orchestration.Answers;

/// <summary>
/// Tasks and subtasks as answers show them, every stored text passed through the shaper (so that it is cut, with a
/// note on where to read the rest, when the answer would not fit the budget) and every list of file paths too.
/// </summary>
internal static class Views
{
    public const string FilePathsRest = "orchestrator_read_text ref SUBTASK_ID/file_paths";

    public static TaskView Task(AnswerShaper shaper, WorkTask task, TaskProgress? progress = null, int descriptionWeight = 1) =>
        OrchestrationMapper.ToView(task) with
        {
            Title = shaper.Text(task.Title, TextRef.Task(task.Id, "title")),
            Description = shaper.Text(task.Description, TextRef.Task(task.Id, "description"), descriptionWeight),
            CancelReason = shaper.Optional(task.CancelReason, TextRef.Task(task.Id, "cancel_reason")),
            Progress = progress,
        };

    public static SubtaskView Subtask(AnswerShaper shaper, Subtask subtask, int descriptionWeight = 1) =>
        OrchestrationMapper.ToView(subtask) with
        {
            Title = shaper.Text(subtask.Title, TextRef.Subtask(subtask.Id, "title")),
            Description = shaper.Text(subtask.Description, TextRef.Subtask(subtask.Id, "description"), descriptionWeight),
            EstimatedEffort = shaper.Optional(subtask.EstimatedEffort, TextRef.Subtask(subtask.Id, "estimated_effort")),
            StatusReason = shaper.Optional(subtask.StatusReason, TextRef.Subtask(subtask.Id, "status_reason")),
            RevisionNotes = shaper.Optional(subtask.RevisionNotes, TextRef.Subtask(subtask.Id, "revision_notes"), descriptionWeight),
            StaleInputs = subtask.StaleInputs.Count == 0 ? null : subtask.StaleInputs,
            ResultSummary = shaper.Optional(subtask.ResultSummary, TextRef.Subtask(subtask.Id, "summary")),
            FilePaths = subtask.FilePaths.Count == 0 ? null : FilePaths(shaper, subtask.FilePaths, TextRef.Subtask(subtask.Id, "file_paths")),
            NextAction = shaper.Optional(subtask.NextAction, TextRef.Subtask(subtask.Id, "next_action")),
        };

    public static SubtaskRef Ref(AnswerShaper shaper, Subtask subtask) =>
        OrchestrationMapper.ToRef(subtask) with
        {
            Title = shaper.Text(subtask.Title, TextRef.Subtask(subtask.Id, "title")),
            Reason = subtask.Status is SubtaskStatus.Failed or SubtaskStatus.Blocked or SubtaskStatus.NeedsRevision
                ? shaper.Optional(subtask.StatusReason, TextRef.Subtask(subtask.Id, "status_reason"))
                : null,
        };

    public static IReadOnlyList<SubtaskRef> Refs(AnswerShaper shaper, IEnumerable<Subtask> subtasks, string name, string rest) =>
        shaper.Items(subtasks.ToList(), name, rest).Select(s => Ref(shaper, s)).ToList();

    /// <summary>File paths; <paramref name="reference"/> reads them all, one per line.</summary>
    public static IReadOnlyList<string> FilePaths(AnswerShaper shaper, IReadOnlyList<string> paths, string reference) =>
        shaper.Items(paths, "file_paths", FilePathsRest).Select(p => shaper.Text(p, reference)).ToList();
}
