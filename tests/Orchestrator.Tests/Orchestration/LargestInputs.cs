using System.Text;
using Orchestrator.Orchestration;
using Orchestrator.Orchestration.Contract;
using Orchestrator.Tooling;

namespace Orchestrator.Tests.Orchestration;

/// <summary>
/// Fills a store through the tools with the largest inputs they accept: a roles file near its 1 MiB limit, a task of 50
/// subtasks at every text limit where the last depends on all the others, 49 of them completed with a million-character
/// artifact, 200 file paths of 4096 characters and every text at its limit, a subtask waiting for review, and 100 more
/// tasks at their limits. Texts mix in characters JSON must escape and characters UTF-8 writes in two bytes.
/// (The first 49 subtasks do not depend on each other: seeding stays linear, the last one's answer is as large.)
/// </summary>
internal static class LargestInputs
{
    /// <summary>A word every long text contains, for a search that matches everything.</summary>
    public const string Word = "quasar";

    public sealed record Seeded(string BigTask, IReadOnlyList<string> Subtasks, string Reviewed, string ArtifactId, string ArtifactContent);

    /// <summary>A text of exactly <paramref name="length"/> characters.</summary>
    public static string Text(int length)
    {
        const string piece = "Lorem \"ipsum\" dolor é ü \\ sit amet " + Word + "\n";
        var text = new StringBuilder(length + piece.Length);
        text.Append('T');
        while (text.Length < length) text.Append(piece);
        text.Length = length;
        text[length - 1] = 'Z';
        return text.ToString();
    }

    /// <summary>A task's subtask ids in plan order, read through orchestrator_get_status page by page (subtask_offset).</summary>
    public static List<string> SubtaskIds(OrchestrationStore store, string taskId)
    {
        var ids = new List<string>();
        int? offset = 0;
        while (offset is { } from)
        {
            var page = store.Tasks.GetStatus(new GetStatusArgs { TaskId = taskId, SubtaskOffset = from }).Ok();
            ids.AddRange(page.Subtasks!.Select(s => s.Id));
            offset = page.NextSubtaskOffset;
        }
        return ids;
    }

    private static string Plain(int length, char fill) => "P" + new string(fill, length - 1);

    public static Seeded Seed(OrchestrationStore store, Action<string, IJsonWritable> answered)
    {
        T Ok<T>(string tool, ToolOutcome<T> outcome) where T : IJsonWritable
        {
            var result = outcome.Ok();
            answered(tool, result);
            return result;
        }
        // Roles: one prompt of half a million characters, 150 roles with 2,000-character descriptions (under 1 MiB in all).
        var roles = new StringBuilder("{\"roles\":{\"giant\":{\"description\":\"d\",\"prompt\":\"").Append(Plain(500_000, 'g')).Append("\"}");
        for (var r = 0; r < 150; r++) roles.Append($",\"r{r}\":{{\"description\":\"{Plain(2_000, 'd')}\",\"prompt\":\"p\"}}");
        store.WriteRoles(roles.Append("}}").ToString());
        var session = Ok("initialize_session", store.Tasks.InitializeSession(new InitializeSessionArgs())).SessionId;
        var tags = Enumerable.Range(0, Limits.MaxTags).Select(i => $"tag{i:00}-" + new string('x', Limits.MaxTag - 6)).ToList();

        var plan = Ok("plan_task", store.Tasks.PlanTask(new PlanTaskArgs
        {
            SessionId = session, Title = Text(Limits.MaxTitle), Description = Text(Limits.MaxText), Priority = Priority.High, Tags = tags,
            Subtasks = Enumerable.Range(0, Limits.MaxSubtasks).Select(i => new PlannedSubtask
            {
                Key = $"s{i:00}", Title = Text(Limits.MaxTitle), Description = Text(Limits.MaxText), Role = "giant",
                // The last depends on all the others: its execution carries the most dependency results there can be.
                EstimatedEffort = Text(Limits.MaxEffort), DependsOn = i < Limits.MaxSubtasks - 1 ? [] : Enumerable.Range(0, i).Select(d => $"s{d:00}").ToList(),
            }).ToList(),
        }));
        // The plan's own answer cannot list 50 subtasks of this size within the budget: page through them.
        var ids = SubtaskIds(store, plan.Task.Id);
        if (ids.Count != Limits.MaxSubtasks) throw new InvalidOperationException($"paged {ids.Count} subtasks");
        var paths = Enumerable.Range(0, Limits.MaxFilePaths).Select(p => $"/p{p:000}/" + new string('f', Limits.MaxFilePath - 6)).ToList();
        string? artifactId = null;
        string? artifactContent = null;
        for (var i = 0; i < Limits.MaxSubtasks - 1; i++)
        {
            Ok("execute_subtask", store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = ids[i] }));
            var work = Text(Limits.MaxDetailedWork - i);
            var completed = Ok("complete_subtask", store.Tasks.CompleteSubtask(new CompleteSubtaskArgs
            {
                SubtaskId = ids[i], Summary = Text(Limits.MaxText), DetailedWork = work, FilePaths = paths, ArtifactType = ArtifactType.Code,
                NextAction = Text(Limits.MaxNextAction),
            }));
            if (i == 0) (artifactId, artifactContent) = (completed.ArtifactId, work);
        }

        var gated = Ok("plan_task", store.Tasks.PlanTask(new PlanTaskArgs
        {
            SessionId = session, Title = Text(Limits.MaxTitle), Description = Text(Limits.MaxText),
            Subtasks = [new PlannedSubtask { Key = "gate", Title = Text(Limits.MaxTitle), Description = Text(Limits.MaxText), Role = "giant", ReviewRequired = true }],
        }));
        var reviewed = gated.Subtasks[0].Id;
        Ok("execute_subtask", store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = reviewed }));
        Ok("complete_subtask", store.Tasks.CompleteSubtask(new CompleteSubtaskArgs
        {
            SubtaskId = reviewed, Summary = Text(Limits.MaxText), DetailedWork = Text(Limits.MaxDetailedWork), FilePaths = paths, NextAction = Text(Limits.MaxNextAction),
        }));

        for (var t = 0; t < 100; t++)
            Ok("plan_task", store.Tasks.PlanTask(new PlanTaskArgs
            {
                SessionId = session, Title = Text(Limits.MaxTitle), Description = Text(Limits.MaxText), Tags = tags, Priority = (Priority)(t % 4),
                Subtasks = [new PlannedSubtask { Title = Text(Limits.MaxTitle), Description = Text(Limits.MaxText), Role = $"r{t}" }],
            }));
        return new Seeded(plan.Task.Id, ids, reviewed, artifactId!, artifactContent!);
    }
}
