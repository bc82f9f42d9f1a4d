using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Orchestrator.Orchestration;
using Orchestrator.Orchestration.Contract;
using Orchestrator.Orchestration.Export;
using static Orchestrator.Tests.Orchestration.Plans;

namespace Orchestrator.Tests.Orchestration;

/// <summary>Export to JSON and Markdown, and import back: lossless round trips with kept or fresh ids, and every refusal changing nothing.</summary>
public partial class ExportImportTests
{
    /// <summary>A store with something of everything: tags, priorities, dependencies, results, artifacts, a removed subtask, reasons, review notes, a cancelled task.</summary>
    internal static void Populate(OrchestrationStore store)
    {
        var session = store.Session();
        var plan = store.Tasks.PlanTask(new PlanTaskArgs
        {
            SessionId = session, Title = "Build the parser", Description = "Streaming, | pipes | and\nlines", Priority = Priority.High, Tags = ["parser", "api"],
            Subtasks = [Step("design", "architect"), Step("code", "implementer", "design"), Step("tests", "tester", "design") with { ReviewRequired = true },
                Step("review", "reviewer", "code", "tests"), Step("extra", "documenter")],
        }, new TaskCaller("alice")).Ok();
        store.Tasks.RevisePlan(new RevisePlanArgs { TaskId = plan.Task.Id, Remove = ["extra"] }).Ok();
        store.Finish(plan.Id("design"), "design ünïcödé 🎉");
        store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = plan.Id("code") }).Ok();
        store.Tasks.ReportSubtask(new ReportSubtaskArgs { SubtaskId = plan.Id("code"), Outcome = ReportedOutcome.Blocked, Reason = "waiting on the spec" }).Ok();
        store.Finish(plan.Id("tests"));
        store.Tasks.ReviewSubtask(new ReviewSubtaskArgs { SubtaskId = plan.Id("tests"), Verdict = ReviewVerdict.Revise, Notes = "cover empty input" }).Ok();
        var other = store.Plan(session, Step("a", "implementer"));
        store.Tasks.CancelTask(new CancelTaskArgs { TaskId = other.Task.Id, Reason = "not needed" }).Ok();
        store.Tasks.UpdateTask(new UpdateTaskArgs { TaskId = plan.Task.Id, Tags = ["parser", "api", "v2"] }).Ok();
    }

    internal static string Json(ExportDocument export) => Encoding.UTF8.GetString(ExportFile.ToJson(export));

    /// <summary>The export without its time of export: what two exports of the same data share.</summary>
    internal static string Content(string json)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        node.Remove("exported_at");
        return node.ToJsonString();
    }

    /// <summary>Ids numbered by first appearance: two exports that differ only in ids compare equal.</summary>
    internal static string WithoutIds(string json)
    {
        var numbering = new Dictionary<string, string>(StringComparer.Ordinal);
        return IdPattern().Replace(json, m =>
        {
            if (!numbering.TryGetValue(m.Value, out var n)) numbering[m.Value] = n = $"<{m.Groups[1].Value}#{numbering.Count}>";
            return n;
        });
    }

    [GeneratedRegex(@"\b(sess|task|sub|art)_[0-9a-f]{4,12}\b")]
    private static partial Regex IdPattern();

    private static ExportDocument ExportOf(OrchestrationStore store) => store.Tasks.Export(null, "test").Export!;

    [Test]
    public async Task An_export_imported_into_an_empty_store_exports_the_same_and_works_the_same()
    {
        using var source = new OrchestrationStore();
        Populate(source);
        var first = Json(ExportOf(source));
        using var target = new OrchestrationStore();
        var summary = target.Tasks.Import(ExportFile.Parse(Encoding.UTF8.GetBytes(first)), IdMode.Keep);
        await Assert.That(summary).IsEqualTo(new ImportSummary(IdMode.Keep, 1, 0, 2, 5, 4, 2, ExportOf(source).History.Count));
        await Assert.That(Content(Json(ExportOf(target)))).IsEqualTo(Content(first));
        // Derived values were rebuilt: the same next work, the same search results, the same readiness.
        await Assert.That(Answer(target.Tasks.NextSubtasks(new NextSubtasksArgs()).Ok())).IsEqualTo(Answer(source.Tasks.NextSubtasks(new NextSubtasksArgs()).Ok()));
        await Assert.That(Answer(target.Tasks.QueryTasks(new QueryTasksArgs { Text = "streaming" }).Ok()))
            .IsEqualTo(Answer(source.Tasks.QueryTasks(new QueryTasksArgs { Text = "streaming" }).Ok()));
        var taskId = ExportOf(source).Tasks[0].Id;
        await Assert.That(Answer(target.Tasks.GetStatus(new GetStatusArgs { TaskId = taskId }).Ok() with { Timestamp = default }))
            .IsEqualTo(Answer(source.Tasks.GetStatus(new GetStatusArgs { TaskId = taskId }).Ok() with { Timestamp = default }));
    }

    private static string Answer(Orchestrator.Tooling.IJsonWritable answer) => Encoding.UTF8.GetString(Orchestrator.Tooling.ToolResults.Serialize(answer.WriteJson));

    [Test]
    public async Task With_new_ids_the_import_is_a_copy_that_exports_the_same_but_for_ids_and_joins_the_session_of_its_directory()
    {
        using var store = new OrchestrationStore();
        Populate(store);
        var first = ExportOf(store);
        var summary = store.Tasks.Import(first, IdMode.New);
        await Assert.That((summary.Sessions, summary.SessionsJoined, summary.Tasks)).IsEqualTo((0, 1, 2));
        var both = ExportOf(store);
        await Assert.That(both.Tasks.Count).IsEqualTo(4);
        await Assert.That(both.Sessions.Count).IsEqualTo(1);
        await Assert.That(both.Tasks.Select(t => t.Id).Distinct().Count()).IsEqualTo(4);
        // The copy, alone, is the original with other ids (this store's counted ids happen to restart at 1: the
        // published binary's random ones are checked end to end).
        using var fresh = new OrchestrationStore();
        fresh.Tasks.Import(first, IdMode.New);
        var copy = ExportOf(fresh);
        await Assert.That(WithoutIds(Content(Json(copy)))).IsEqualTo(WithoutIds(Content(Json(first))));
    }

    [Test]
    public async Task One_session_exports_alone()
    {
        using var store = new OrchestrationStore();
        Populate(store);
        var elsewhere = Directory.CreateDirectory(Path.Combine(store.WorkingDirectory, "elsewhere")).FullName;
        var other = store.Tasks.InitializeSession(new InitializeSessionArgs { WorkingDirectory = elsewhere }).Ok().SessionId;
        store.Plan(other, Step("x", "implementer"));
        var one = store.Tasks.Export(other, "test").Export!;
        await Assert.That(one.SessionId).IsEqualTo(other);
        await Assert.That(one.Sessions.Single().Id).IsEqualTo(other);
        await Assert.That(one.Tasks.Count).IsEqualTo(1);
        await Assert.That(one.Subtasks.Count).IsEqualTo(1);
        await Assert.That(one.History.All(h => h.TaskId == one.Tasks[0].Id)).IsTrue();
        await Assert.That(store.Tasks.Export("sess_nope", "test").Error!.Code).IsEqualTo(Orchestrator.Tooling.ErrorCode.NotFound);
    }

    private static async Task Refused(string json, params string[] expected)
    {
        using var store = new OrchestrationStore();
        Populate(store);
        var before = store.Dump();
        var ex = Assert.Throws<ImportRefusedException>(() => store.Tasks.Import(ExportFile.Parse(Encoding.UTF8.GetBytes(json)), IdMode.Keep));
        foreach (var text in expected) await Assert.That(ex.Message).Contains(text);
        await Assert.That(store.Dump()).IsEqualTo(before);
    }

    private static string Edited(Action<JsonObject> edit)
    {
        using var source = new OrchestrationStore();
        Populate(source);
        var node = JsonNode.Parse(Json(ExportOf(source)))!.AsObject();
        node["sessions"]![0]!["working_directory"] = "/elsewhere/project";
        edit(node);
        return node.ToJsonString();
    }

    [Test]
    public async Task Files_that_are_not_a_version_1_export_are_refused_naming_why()
    {
        await Refused("{\"format\": \"orchestrator-export\", \"version\": 1, ", "not valid JSON");
        await Refused("[1, 2]", "not an orchestrator export", "array");
        await Refused("{\"format\": \"tasks.json\", \"version\": 1}", "\"format\" is \"tasks.json\"");
        await Refused(Edited(n => n["version"] = 2), "unknown export version", "\"version\" is 2", "reads version 1");
        await Refused(Edited(n => n.Remove("tasks")), "malformed export", "tasks");
        await Refused(Edited(n => n["tasks"]![0]!["title"] = null), "malformed export", "title");
    }

    [Test]
    public async Task Broken_references_and_unknown_values_are_refused_each_named()
    {
        await Refused(Edited(n => n["subtasks"]![0]!["task_id"] = "task_gone"), $"its task task_gone is not in the export");
        await Refused(Edited(n => n["dependencies"]![0]!["depends_on_id"] = "sub_gone"), "subtask sub_gone is not in the export");
        await Refused(Edited(n => n["artifacts"]![0]!["subtask_id"] = "sub_gone"), "its subtask sub_gone is not in the export");
        await Refused(Edited(n => n["tasks"]![0]!["session_id"] = "sess_gone"), "its session sess_gone is not in the export");
        await Refused(Edited(n => n["history"]![0]!["task_id"] = "task_gone"), "history[0]: its task task_gone is not in the export");
        await Refused(Edited(n => n["subtasks"]![1]!["status"] = "done"), "status \"done\" is not one of");
        await Refused(Edited(n =>
        {
            var design = n["subtasks"]![0]!["id"]!.GetValue<string>();
            var code = n["subtasks"]![1]!["id"]!.GetValue<string>();
            n["dependencies"]!.AsArray().Add(new JsonObject { ["subtask_id"] = design, ["depends_on_id"] = code });
        }), "cycle");
    }

    [Test]
    public async Task With_kept_ids_an_id_the_store_has_refuses_the_whole_import_and_new_ids_take_it()
    {
        using var store = new OrchestrationStore();
        Populate(store);
        var export = ExportOf(store);
        var before = store.Dump();
        var ex = Assert.Throws<ImportRefusedException>(() => store.Tasks.Import(export, IdMode.Keep));
        await Assert.That(ex.Message).Contains($"task {export.Tasks[0].Id} already exists in the store (--new-ids imports under fresh ids)");
        await Assert.That(ex.Message).Contains($"artifact {export.Artifacts[0].Id} already exists");
        await Assert.That(store.Dump()).IsEqualTo(before);
    }

    [Test]
    public async Task A_session_id_or_directory_the_store_holds_otherwise_is_refused_with_kept_ids()
    {
        using var source = new OrchestrationStore();
        Populate(source);
        var export = ExportOf(source);
        using var target = new OrchestrationStore();
        var elsewhere = Directory.CreateDirectory(Path.Combine(target.WorkingDirectory, "elsewhere")).FullName;
        target.Tasks.InitializeSession(new InitializeSessionArgs { WorkingDirectory = elsewhere }).Ok(); // takes sess_0001
        target.Session(); // the export's working directory (moved below) under another session id
        var moved = export with { Sessions = [export.Sessions[0] with { WorkingDirectory = target.WorkingDirectory }] };
        var before = target.Dump();
        var ex = Assert.Throws<ImportRefusedException>(() => target.Tasks.Import(moved, IdMode.Keep));
        await Assert.That(ex.Message).Contains($"already has working directory {target.WorkingDirectory} (--new-ids adds the tasks to it)");
        await Assert.That(target.Dump()).IsEqualTo(before);
        var joined = target.Tasks.Import(moved, IdMode.New);
        await Assert.That((joined.Sessions, joined.SessionsJoined)).IsEqualTo((0, 1));
    }

    [Test]
    public async Task The_markdown_report_has_a_table_per_task_outcomes_and_artifacts_summarized()
    {
        using var store = new OrchestrationStore();
        Populate(store);
        var export = ExportOf(store);
        var report = Encoding.UTF8.GetString(ExportWriter.Render(export, ExportFormat.Markdown));
        await Assert.That(report).Contains("### Build the parser");
        await Assert.That(report).Contains("| # | subtask | role | status | outcome |");
        await Assert.That(report).Contains("| 2 | Step code (`code`) | implementer | blocked | waiting on the spec |");
        await Assert.That(report).Contains("**Outcomes**");
        await Assert.That(report).Contains("- **Step design** (completed): summary of design ünïcödé 🎉 Files: `src/design ünïcödé 🎉.cs`");
        await Assert.That(report).Contains("**Artifacts** (2, ");
        await Assert.That(report).Contains("Cancelled: not needed");
        await Assert.That(report).Contains("**Last changes**");
        // The task description's pipes and line breaks do not break a table: it is a paragraph, cells are escaped.
        await Assert.That(Regex.Count(report, "^### ", RegexOptions.Multiline)).IsEqualTo(2);
    }
}
