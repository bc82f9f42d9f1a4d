using System.Text;
using Orchestrator.Orchestration.Answers;
using Orchestrator.Orchestration.Contract;
using Orchestrator.Orchestration.Storage;
using Orchestrator.Tooling;

namespace Orchestrator.Orchestration;

public sealed partial class TaskOrchestrator
{
    /// <summary>
    /// <c>orchestrator_synthesize_results</c>: the completed subtasks' results in plan order, as one document. While any
    /// subtask is not completed the call is refused with INVALID_STATE naming them, unless <c>allow_partial</c> asks for
    /// what exists; a partial synthesis says so (<c>complete: false</c>, <c>missing</c> with each one's reason, and a
    /// note in the text). Each detailed work appears once, in the document. Read-only: it can be repeated.
    /// </summary>
    public ToolOutcome<SynthesizeResultsResult> SynthesizeResults(SynthesizeResultsArgs args)
    {
        const string phase = "synthesize_results";
        return Read<SynthesizeResultsResult>(phase, sql =>
        {
            var task = TaskOrThrow(sql, args.TaskId, phase);
            var subtasks = SubtaskRepository.OfTask(sql, task.Id);
            var completed = subtasks.Where(s => s.Status == SubtaskStatus.Completed).ToList();
            var missing = subtasks.Where(s => s.Status != SubtaskStatus.Completed).ToList();
            if (missing.Count > 0 && !args.AllowPartial)
                throw OrchestrationException.InvalidState($"Task {task.Id} has {missing.Count} subtask(s) not completed: "
                    + string.Join(", ", missing.Select(s => $"\"{s.Key}\" ({s.Id}) is {Wire(s.Status)}")) + "; pass allow_partial to synthesize what is completed", phase);

            var artifacts = ArtifactRepository.Excerpts(sql, completed.Select(s => s.Id), _budget);
            var progress = SubtaskRepository.ProgressOf(subtasks.Select(s => (s.Status, 1)));
            return shaper =>
            {
                var results = completed.Select(s => ResultOf(shaper, s, artifacts, withWork: false)).ToList();
                var text = new StringBuilder();
                text.Append("# ").Append(shaper.Text(task.Title, TextRef.Task(task.Id, "title"))).Append("\n\n");
                if (task.Description.Length > 0) text.Append(shaper.Text(task.Description, TextRef.Task(task.Id, "description"))).Append("\n\n");
                if (missing.Count > 0)
                    text.Append("> Partial synthesis: ").Append(completed.Count).Append(" of ").Append(subtasks.Count)
                        .Append(" subtasks completed; ").Append(missing.Count).Append(" missing (listed in missing, with their reasons).\n\n");
                // Sections follow the list of results, so both are cut to the same length when the budget is tight.
                var sections = shaper.Items(completed.Zip(results).ToList(), "synthesis sections", "read each artifact with orchestrator_read_text");
                foreach (var (subtask, result) in sections)
                {
                    text.Append("## ").Append(subtask.Position).Append(". ").Append(result.Title).Append(" (").Append(subtask.Role).Append(")\n\n");
                    text.Append(result.Summary).Append("\n\n");
                    if (artifacts.TryGetValue(subtask.Id, out var work)) text.Append(shaper.Excerpt(work.Text, work.Length, work.Id, weight: 2)).Append("\n\n");
                    if (result.FilePaths.Count > 0) text.Append("Files: ").Append(string.Join(", ", result.FilePaths)).Append("\n\n");
                    if (result.NextAction is { } next) text.Append("Next: ").Append(next).Append("\n\n");
                }
                return new SynthesizeResultsResult
                {
                    Task = Views.Task(shaper, task, progress),
                    Complete = missing.Count == 0,
                    Synthesis = text.ToString().TrimEnd() + "\n",
                    Results = shaper.Items(results, "results", $"orchestrator_get_status with task_id {task.Id}"),
                    FilePaths = shaper.Items(completed.SelectMany(s => s.FilePaths).Distinct(StringComparer.Ordinal).ToList(), "file_paths",
                        Views.FilePathsRest).Select(p => shaper.Text(p, "SUBTASK_ID/file_paths")).ToList(),
                    Missing = Views.Refs(shaper, missing, "missing", $"orchestrator_get_status with task_id {task.Id}"),
                    Truncated = shaper.Summary(),
                };
            };
        });
    }
}
