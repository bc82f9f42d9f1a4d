using Orchestrator.Orchestration.Answers;
using Orchestrator.Orchestration.Contract;
using Orchestrator.Orchestration.Storage;
using Orchestrator.Tooling;

namespace Orchestrator.Orchestration;

public sealed partial class TaskOrchestrator
{
    /// <summary>
    /// <c>orchestrator_read_text</c>: one page of a stored text, so that everything an answer cut short (an artifact of
    /// up to a million characters above all) stays reachable. The page holds at most <c>limit</c> characters and never
    /// more than fits the answer budget once written as JSON (escapes included); <c>next_offset</c> continues.
    /// </summary>
    public ToolOutcome<ReadTextResult> ReadText(ReadTextArgs args)
    {
        const string phase = "read_text";
        return Read<ReadTextResult>(phase, sql =>
        {
            var reference = args.Ref.Trim();
            var target = TextRef.Parse(reference);
            if (target is null)
            {
                var errors = new ArgumentErrors();
                errors.Add("ref", $"{PlanRules.Quote(reference)} is not a text reference; use {TextRef.Forms}");
                throw OrchestrationException.InvalidParameters(errors, phase);
            }
            // At most a budget's worth is loaded: a page never holds more.
            var window = (int)Math.Min(args.Limit, _budget);
            var (text, total, taskId, subtaskId) = Load(sql, target, args.Offset, window, phase);
            if (args.Offset > total)
            {
                var errors = new ArgumentErrors();
                errors.Add("offset", $"{args.Offset} is beyond the end of the text ({total} characters)");
                throw OrchestrationException.InvalidParameters(errors, phase);
            }
            return shaper => Page(reference, taskId, subtaskId, args.Offset, text, total);
        });
    }

    /// <summary>The page that fits the budget: the loaded window, shortened until its JSON does.</summary>
    private ReadTextResult Page(string reference, string? taskId, string? subtaskId, int offset, string window, int total)
    {
        var count = CodePoints.Count(window);
        while (true)
        {
            var text = CodePoints.Prefix(window, count);
            var end = offset + count;
            var page = new ReadTextResult
            {
                Ref = reference, TaskId = taskId, SubtaskId = subtaskId, Offset = offset, Length = count, TotalLength = total, Text = text,
                HasMore = end < total, NextOffset = end < total ? end : null,
            };
            var size = AnswerFitter.Size(page);
            if (size <= _budget || count == 0) return page;
            // Shrink in proportion to the excess (escapes make some characters longer than one byte of budget), at least by one.
            count = (int)Math.Min(count - 1, (long)count * (_budget - 256) / size);
            if (count < 0) count = 0;
        }
    }

    /// <summary>The window [offset, offset + count) of the text <paramref name="target"/> names, its total length, and whose it is.</summary>
    private (string Text, int Total, string? TaskId, string? SubtaskId) Load(Sql sql, TextRef.Target target, int offset, int count, string phase)
    {
        switch (target)
        {
            case TextRef.ArtifactText artifact:
            {
                var page = ArtifactRepository.Page(sql, artifact.ArtifactId, offset, count)
                    ?? throw OrchestrationException.NotFound("artifact", artifact.ArtifactId, phase);
                var subtask = SubtaskOrThrow(sql, page.SubtaskId, phase);
                return (page.Text, page.Length, subtask.TaskId, subtask.Id);
            }
            case TextRef.SubtaskText { Field: "work" } work:
            {
                var subtask = SubtaskOrThrow(sql, work.SubtaskId, phase);
                var id = ArtifactRepository.LatestId(sql, subtask.Id)
                    ?? throw new OrchestrationException(new ToolError(ErrorCode.NotFound, $"Subtask {subtask.Id} has no artifact (it has not been completed)", phase));
                var page = ArtifactRepository.Page(sql, id, offset, count)!.Value;
                return (page.Text, page.Length, subtask.TaskId, subtask.Id);
            }
            case TextRef.SubtaskText field:
            {
                var subtask = SubtaskOrThrow(sql, field.SubtaskId, phase);
                var text = field.Field switch
                {
                    "title" => subtask.Title,
                    "description" => subtask.Description,
                    "summary" => subtask.ResultSummary,
                    "file_paths" => string.Join('\n', subtask.FilePaths),
                    "next_action" => subtask.NextAction,
                    "estimated_effort" => subtask.EstimatedEffort,
                    "status_reason" => subtask.StatusReason,
                    _ => subtask.RevisionNotes,
                } ?? "";
                return (CodePoints.Slice(text, offset, count), CodePoints.Count(text), subtask.TaskId, subtask.Id);
            }
            case TextRef.TaskText field:
            {
                var task = TaskOrThrow(sql, field.TaskId, phase);
                var text = field.Field switch { "title" => task.Title, "description" => task.Description, _ => task.CancelReason } ?? "";
                return (CodePoints.Slice(text, offset, count), CodePoints.Count(text), task.Id, null);
            }
            default:
            {
                var role = (TextRef.RolePrompt)target;
                var session = SessionOrThrow(sql, role.SessionId, phase);
                var found = RoleCatalog.Find(_roles.For(session.WorkingDirectory), role.Role)
                    ?? throw new OrchestrationException(new ToolError(ErrorCode.NotFound, $"Session {session.Id} has no role \"{role.Role}\"", phase));
                return (CodePoints.Slice(found.Prompt, offset, count), CodePoints.Count(found.Prompt), null, null);
            }
        }
    }
}
