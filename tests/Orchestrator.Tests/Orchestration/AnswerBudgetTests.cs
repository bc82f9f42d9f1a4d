using System.Text.RegularExpressions;
using Orchestrator.Orchestration;
using Orchestrator.Orchestration.Answers;
using Orchestrator.Orchestration.Contract;
using Orchestrator.Tooling;

namespace Orchestrator.Tests.Orchestration;

/// <summary>
/// Bounded answers: with the largest legal inputs stored, every task tool's answer fits the budget (the default and
/// the smallest allowed), what is cut says so, and the rest is reachable through orchestrator_read_text.
/// </summary>
public partial class AnswerBudgetTests
{
    [Test]
    [Arguments(AnswerBudget.Default)]
    [Arguments(AnswerBudget.Minimum)]
    public async Task Every_answer_fits_the_budget_with_the_largest_legal_inputs_and_what_is_cut_can_be_read(int budget)
    {
        using var store = new OrchestrationStore(budget);
        var answers = new List<(string Tool, IJsonWritable Answer)>();
        T Ok<T>(string tool, ToolOutcome<T> outcome) where T : IJsonWritable
        {
            var result = outcome.Ok();
            answers.Add((tool, result));
            return result;
        }
        var seeded = LargestInputs.Seed(store, (tool, answer) => answers.Add((tool, answer)));
        var tasks = store.Tasks;
        var big = seeded.BigTask;
        var last = seeded.Subtasks[^1];

        Ok("initialize_session", tasks.InitializeSession(new InitializeSessionArgs()));
        var execute = Ok("execute_subtask", tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = last }));
        Ok("synthesize_results", tasks.SynthesizeResults(new SynthesizeResultsArgs { TaskId = big, AllowPartial = true }));
        Ok("get_status", tasks.GetStatus(new GetStatusArgs { TaskId = big }));
        Ok("get_status", tasks.GetStatus(new GetStatusArgs { Limit = 100, IncludeCompleted = true }));
        Ok("query_tasks", tasks.QueryTasks(new QueryTasksArgs { Limit = 100 }));
        Ok("query_tasks", tasks.QueryTasks(new QueryTasksArgs { Limit = 100, Text = LargestInputs.Word }));
        Ok("next_subtasks", tasks.NextSubtasks(new NextSubtasksArgs { Limit = 50 }));
        Ok("update_task", tasks.UpdateTask(new UpdateTaskArgs { TaskId = big, Priority = Priority.Critical }));
        Ok("report_subtask", tasks.ReportSubtask(new ReportSubtaskArgs { SubtaskId = last, Outcome = ReportedOutcome.NeedsRevision, Reason = LargestInputs.Text(Limits.MaxText) }));
        Ok("revise_plan", tasks.RevisePlan(new RevisePlanArgs { TaskId = big, Change = [new SubtaskChange { Subtask = last, Description = LargestInputs.Text(Limits.MaxText - 1) }] }));
        Ok("reopen_subtask", tasks.ReopenSubtask(new ReopenSubtaskArgs { SubtaskId = seeded.Subtasks[0], Action = ReopenAction.Reopen, Note = LargestInputs.Text(Limits.MaxText) }));
        Ok("review_subtask", tasks.ReviewSubtask(new ReviewSubtaskArgs { SubtaskId = seeded.Reviewed, Verdict = ReviewVerdict.Revise, Notes = LargestInputs.Text(Limits.MaxText) }));
        Ok("read_text", tasks.ReadText(new ReadTextArgs { Ref = seeded.ArtifactId }));
        Ok("cancel_task", tasks.CancelTask(new CancelTaskArgs { TaskId = big, Reason = LargestInputs.Text(Limits.MaxText) }));

        foreach (var (tool, answer) in answers)
            await Assert.That(AnswerFitter.Size(answer)).IsLessThanOrEqualTo(budget).Because($"{tool} answered {AnswerFitter.Size(answer)} bytes");
        await Assert.That(answers.Select(a => a.Tool).Distinct().Count()).IsEqualTo(15);

        // The execution's answer was cut and says so; every text it cut can be read back whole from where the note says.
        await Assert.That(execute.Truncated).IsNotNull();
        var json = System.Text.Encoding.UTF8.GetString(ToolResults.Serialize(execute.WriteJson));
        var notes = Note().Matches(json);
        await Assert.That(notes.Count).IsGreaterThan(0);
        foreach (var reference in notes.Select(n => n.Groups["ref"].Value).Distinct().Take(12))
        {
            var whole = ReadWhole(store, reference);
            await Assert.That(whole.Length).IsGreaterThan(0).Because(reference);
        }
        // The full work product is reachable: read in pages, the artifact is exactly what was stored.
        await Assert.That(ReadWhole(store, seeded.ArtifactId)).IsEqualTo(seeded.ArtifactContent);
    }

    [Test]
    public async Task Pages_never_split_a_character_and_an_offset_beyond_the_end_is_refused()
    {
        using var store = new OrchestrationStore();
        var session = store.Session();
        var plan = store.Plan(session, Plans.Step("a", "tester"));
        var work = string.Concat(Enumerable.Repeat("a😀\"\n", 9_000)) + ".";
        store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = plan.Id("a") }).Ok();
        store.Tasks.CompleteSubtask(new CompleteSubtaskArgs { SubtaskId = plan.Id("a"), Summary = "s", DetailedWork = work }).Ok();
        var first = store.Tasks.ReadText(new ReadTextArgs { Ref = plan.Id("a") + "/work", Limit = 5 }).Ok();
        await Assert.That(first.Text).IsEqualTo("a😀\"\na");
        await Assert.That(first.Length).IsEqualTo(5);
        await Assert.That(first.TotalLength).IsEqualTo(36_001);
        await Assert.That(first.NextOffset).IsEqualTo(5);
        await Assert.That(ReadWhole(store, plan.Id("a") + "/work")).IsEqualTo(work);
        var page = store.Tasks.ReadText(new ReadTextArgs { Ref = plan.Id("a") + "/work", Offset = 36_001 }).Ok();
        await Assert.That(page.Text).IsEqualTo("");
        await Assert.That(page.HasMore).IsFalse();
        var beyond = store.Tasks.ReadText(new ReadTextArgs { Ref = plan.Id("a") + "/work", Offset = 36_002 }).Err();
        await Assert.That(beyond.Details).IsEquivalentTo(["offset: 36002 is beyond the end of the text (36001 characters)"]);
        var bad = store.Tasks.ReadText(new ReadTextArgs { Ref = "../etc/passwd" }).Err();
        await Assert.That(bad.Code).IsEqualTo(ErrorCode.InvalidParameters);
        await Assert.That(store.Tasks.ReadText(new ReadTextArgs { Ref = "art_ffff" }).Err().Code).IsEqualTo(ErrorCode.NotFound);
        await Assert.That(store.Tasks.ReadText(new ReadTextArgs { Ref = $"{plan.Task.Id}/description" }).Ok().Text).IsEqualTo("The goal in detail");
        await Assert.That(store.Tasks.ReadText(new ReadTextArgs { Ref = $"{session}/role/tester" }).Ok().Text).IsEqualTo(BuiltInRoles.All.Single(r => r.Name == "tester").Prompt);
    }

    /// <summary>Reads a text whole through orchestrator_read_text, page after page.</summary>
    private static string ReadWhole(OrchestrationStore store, string reference)
    {
        var text = new System.Text.StringBuilder();
        var offset = 0;
        while (true)
        {
            var page = store.Tasks.ReadText(new ReadTextArgs { Ref = reference, Offset = offset }).Ok();
            text.Append(page.Text);
            if (page.NextOffset is not { } next) return text.ToString();
            offset = next;
        }
    }

    [GeneratedRegex("""orchestrator_read_text ref \\"(?<ref>[^\\"]+)\\" offset (?<offset>\d+)\]""")]
    private static partial Regex Note();
}
