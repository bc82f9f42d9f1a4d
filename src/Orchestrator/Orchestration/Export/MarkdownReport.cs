using System.Globalization;
using System.Text;
using Orchestrator.Orchestration.Answers;

namespace Orchestrator.Orchestration.Export;

/// <summary>
/// An export as a report for people and trackers: per session, each task with its status, priority and tags, a table
/// of its subtasks (status, role, outcome or the reason it is stuck), the outcomes of completed subtasks (summary,
/// files, next action), its artifacts summarized (type, size, first line) and its last changes. Not meant to be read
/// back: the JSON export is the lossless one.
/// </summary>
internal static class MarkdownReport
{
    /// <summary>Characters of a text shown in a table cell or an artifact's first line.</summary>
    private const int Cell = 160;
    private const int LastChanges = 5;

    public static string Render(ExportDocument export)
    {
        var md = new StringBuilder();
        md.Append("# Orchestrator export\n\n");
        md.Append("Exported ").Append(Time(export.ExportedAt ?? DateTimeOffset.UnixEpoch)).Append(" by orchestrator ").Append(export.ServerVersion ?? "?")
            .Append(": ").Append(export.Sessions.Count).Append(" session(s), ").Append(export.Tasks.Count).Append(" task(s), ")
            .Append(export.Subtasks.Count).Append(" subtask(s), ").Append(export.Artifacts.Count).Append(" artifact(s), ")
            .Append(export.History.Count).Append(" recorded change(s).\n");
        var subtasksOf = export.Subtasks.ToLookup(s => s.TaskId, StringComparer.Ordinal);
        var artifactsOf = export.Artifacts.ToLookup(a => a.SubtaskId, StringComparer.Ordinal);
        var historyOf = export.History.ToLookup(h => h.TaskId, StringComparer.Ordinal);
        var tasksOf = export.Tasks.ToLookup(t => t.SessionId, StringComparer.Ordinal);
        foreach (var session in export.Sessions)
        {
            md.Append("\n## Session ").Append(session.Id).Append(": `").Append(session.WorkingDirectory).Append("`\n");
            foreach (var task in tasksOf[session.Id]) Task(md, task, subtasksOf[task.Id].ToList(), artifactsOf, historyOf[task.Id].ToList());
        }
        return md.ToString();
    }

    private static void Task(StringBuilder md, ExportTask task, List<ExportSubtask> subtasks, ILookup<string, ExportArtifact> artifactsOf, List<ExportHistoryEntry> history)
    {
        var done = subtasks.Count(s => s.Status == "completed");
        var counted = subtasks.Count(s => s.Status != "cancelled");
        md.Append("\n### ").Append(Inline(task.Title)).Append("\n\n");
        md.Append("`").Append(task.Id).Append("` · **").Append(task.Status).Append("** · priority ").Append(task.Priority).Append(" · complexity ")
            .Append(task.Complexity).Append(" · ").Append(done).Append('/').Append(counted).Append(" subtasks completed");
        if (task.Tags.Count > 0) md.Append(" · tags: ").Append(string.Join(", ", task.Tags));
        md.Append(" · created ").Append(Time(task.CreatedAt)).Append(", updated ").Append(Time(task.UpdatedAt)).Append("\n\n");
        if (task.Description.Length > 0) md.Append(task.Description.Trim()).Append("\n\n");
        if (task.CancelReason is { } reason) md.Append("Cancelled: ").Append(Inline(reason)).Append("\n\n");

        md.Append("| # | subtask | role | status | outcome |\n|---|---|---|---|---|\n");
        foreach (var s in subtasks)
        {
            var outcome = s.Status == "completed" || s.Status == "needs_review" ? s.ResultSummary : s.StatusReason;
            md.Append("| ").Append(s.Position).Append(" | ").Append(Cut(s.Title)).Append(" (`").Append(s.Key).Append("`) | ").Append(s.Role)
                .Append(" | ").Append(s.Status).Append(" | ").Append(Cut(outcome ?? "")).Append(" |\n");
        }

        var outcomes = subtasks.Where(s => s.ResultSummary is not null).ToList();
        if (outcomes.Count > 0)
        {
            md.Append("\n**Outcomes**\n\n");
            foreach (var s in outcomes)
            {
                md.Append("- **").Append(Inline(s.Title)).Append("** (").Append(s.Status).Append("): ").Append(Inline(s.ResultSummary!));
                if (s.FilePaths.Count > 0) md.Append(" Files: ").Append(string.Join(", ", s.FilePaths.Select(p => "`" + p + "`")));
                if (s.NextAction is { } next) md.Append(" Next: ").Append(Inline(next));
                md.Append('\n');
            }
        }

        var artifacts = subtasks.SelectMany(s => artifactsOf[s.Id].Select(a => (Subtask: s, Artifact: a))).ToList();
        if (artifacts.Count > 0)
        {
            md.Append("\n**Artifacts** (").Append(artifacts.Count).Append(", ").Append(artifacts.Sum(a => CodePoints.Count(a.Artifact.Content)).ToString("N0", CultureInfo.InvariantCulture))
                .Append(" characters)\n\n");
            foreach (var (subtask, artifact) in artifacts)
                md.Append("- `").Append(artifact.Id).Append("` ").Append(artifact.Type).Append(" of `").Append(subtask.Key).Append("`, ")
                    .Append(CodePoints.Count(artifact.Content).ToString("N0", CultureInfo.InvariantCulture)).Append(" characters: ")
                    .Append(Cut(artifact.Content.Split('\n').FirstOrDefault(l => l.Trim().Length > 0) ?? "")).Append('\n');
        }

        if (history.Count > 0)
        {
            var keys = subtasks.ToDictionary(s => s.Id, s => s.Key, StringComparer.Ordinal);
            md.Append("\n**Last changes** (").Append(Math.Min(LastChanges, history.Count)).Append(" of ").Append(history.Count).Append(")\n\n");
            foreach (var h in Enumerable.Reverse(history).Take(LastChanges))
            {
                md.Append("- ").Append(Time(h.At)).Append(' ').Append(h.SubtaskId is null ? "task" : keys.TryGetValue(h.SubtaskId, out var key) ? $"`{key}`" : $"`{h.SubtaskId}`")
                    .Append(' ').Append(h.Event.Replace('_', ' '));
                if (h.From is not null || h.To is not null) md.Append(' ').Append(h.From ?? "—").Append(" → ").Append(h.To ?? "—");
                md.Append(" by ").Append(Inline(h.Actor)).Append(" (").Append(h.Tool).Append(")\n");
            }
        }
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>One line, for a list item: line breaks become spaces.</summary>
    private static string Inline(string text) => text.ReplaceLineEndings(" ").Trim();

    /// <summary>A table cell: one line, pipes escaped, at most <see cref="Cell"/> characters.</summary>
    private static string Cut(string text)
    {
        var line = Inline(text).Replace("|", "\\|", StringComparison.Ordinal);
        return CodePoints.Count(line) <= Cell ? line : CodePoints.Prefix(line, Cell - 1) + "…";
    }
}
