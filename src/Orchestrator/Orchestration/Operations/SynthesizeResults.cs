using System.Text;
using Orchestrator.Orchestration.Contract;
using Orchestrator.Orchestration.Storage;
using Orchestrator.Tooling;

namespace Orchestrator.Orchestration;

public sealed partial class TaskOrchestrator
{
    /// <summary>
    /// <c>orchestrator_synthesize_results</c>: the completed subtasks' results in plan order, as one document. While any
    /// subtask is not completed the call is refused with INVALID_STATE naming them, unless <c>allow_partial</c> asks for
    /// what exists; a partial synthesis says so (<c>complete: false</c>, <c>missing</c>, and a note in the text).
    /// Read-only: it changes no state, so it can be repeated.
    /// </summary>
    public ToolOutcome<SynthesizeResultsResult> SynthesizeResults(SynthesizeResultsArgs args)
    {
        const string phase = "synthesize_results";
        return Read(phase, sql =>
        {
            var task = TaskOrThrow(sql, args.TaskId, phase);
            var subtasks = SubtaskRepository.OfTask(sql, task.Id);
            var completed = subtasks.Where(s => s.Status == SubtaskStatus.Completed).ToList();
            var missing = subtasks.Where(s => s.Status != SubtaskStatus.Completed).ToList();
            if (missing.Count > 0 && !args.AllowPartial)
                throw OrchestrationException.InvalidState($"Task {task.Id} has {missing.Count} subtask(s) not completed: "
                    + string.Join(", ", missing.Select(s => $"\"{s.Key}\" ({s.Id}) is {Wire(s.Status)}")) + "; pass allow_partial to synthesize what is completed", phase);

            var artifacts = ArtifactRepository.LatestOf(sql, completed.Select(s => s.Id));
            var results = completed.Select(s => ResultOf(s, artifacts)).ToList();
            var text = new StringBuilder();
            text.Append("# ").Append(task.Title).Append("\n\n");
            if (task.Description.Length > 0) text.Append(task.Description).Append("\n\n");
            if (missing.Count > 0)
                text.Append("> Partial synthesis: ").Append(completed.Count).Append(" of ").Append(subtasks.Count)
                    .Append(" subtasks completed; missing: ").Append(string.Join(", ", missing.Select(s => $"{s.Title} ({Wire(s.Status)})"))).Append(".\n\n");
            foreach (var (subtask, result) in completed.Zip(results))
            {
                text.Append("## ").Append(subtask.Position).Append(". ").Append(subtask.Title).Append(" (").Append(subtask.Role).Append(")\n\n");
                text.Append(result.Summary).Append("\n\n").Append(result.DetailedWork).Append("\n\n");
                if (result.FilePaths.Count > 0) text.Append("Files: ").Append(string.Join(", ", result.FilePaths)).Append("\n\n");
                if (result.NextAction is { } next) text.Append("Next: ").Append(next).Append("\n\n");
            }

            var progress = SubtaskRepository.ProgressOf(subtasks.Select(s => (s.Status, 1)));
            return new SynthesizeResultsResult
            {
                Task = OrchestrationMapper.ToView(task) with { Progress = progress },
                Complete = missing.Count == 0,
                Synthesis = text.ToString().TrimEnd() + "\n",
                Results = results,
                FilePaths = results.SelectMany(r => r.FilePaths).Distinct(StringComparer.Ordinal).ToList(),
                Missing = missing.Select(OrchestrationMapper.ToRef).ToList(),
            };
        });
    }
}
