using System.Text.Json.Nodes;
using Orchestrator.Tests.Orchestration;
using Orchestrator.Tests.Reliability;
using Orchestrator.Tests.Security;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>
/// <c>orchestrator export</c>, <c>orchestrator import</c> and the <c>orchestrator_export</c> tool over the published
/// binary: a store worked through by a real client (across an in-place restart) exports, imports into an empty store
/// and exports the same again; bad files are refused, exit 1, the store untouched.
/// </summary>
public class ExportImportEndToEndTests
{
    private static Task<(int Exit, string Out, string Err)> Run(params string[] args) => ProcessRun.RunAsync(PublishedBinary.Path, args);

    /// <summary>A store as a client leaves it: a plan, one subtask done with its artifact, one in progress across a restart, one blocked.</summary>
    private static async Task PopulateAsync(string dataDirectory, string project)
    {
        await using var client = await McpStdioClient.StartInitializedAsync(dataDirectory);
        var sessionId = (await client.CallToolAsync("orchestrator_initialize_session", new JsonObject { ["working_directory"] = project }))
            .Structured()["session_id"]!.GetValue<string>();
        JsonObject Sub(string key, string role, params string[] dependsOn) => new()
        {
            ["key"] = key, ["title"] = $"Step {key}", ["role"] = role, ["depends_on"] = new JsonArray(dependsOn.Select(d => (JsonNode)d).ToArray()),
        };
        var plan = (await client.CallToolAsync("orchestrator_plan_task", new JsonObject
        {
            ["session_id"] = sessionId, ["title"] = "Port the decoder", ["priority"] = "high", ["tags"] = new JsonArray("port", "decoder"),
            ["subtasks"] = new JsonArray(Sub("design", "architect"), Sub("build", "implementer", "design"), Sub("docs", "documenter", "design")),
        })).Structured();
        var ids = plan["subtasks"]!.AsArray().ToDictionary(s => s!["key"]!.GetValue<string>(), s => s!["id"]!.GetValue<string>());
        (await client.CallToolAsync("orchestrator_execute_subtask", new JsonObject { ["subtask_id"] = ids["design"] })).Structured();
        (await client.CallToolAsync("orchestrator_complete_subtask", new JsonObject
        {
            ["subtask_id"] = ids["design"], ["summary"] = "framed it", ["detailed_work"] = "The whole design, \"quoted\" and\nmultiline.",
            ["file_paths"] = new JsonArray("docs/design.md"), ["artifact_type"] = "design",
        })).Structured();
        (await client.CallToolAsync("orchestrator_execute_subtask", new JsonObject { ["subtask_id"] = ids["build"] })).Structured();
        (await client.CallToolAsync("orchestrator_restart_server")).Structured();
        (await client.CallToolAsync("orchestrator_report_subtask", new JsonObject { ["subtask_id"] = ids["docs"], ["outcome"] = "blocked", ["reason"] = "no access" })).Structured();
        await client.StopAsync();
    }

    [Test]
    public async Task Export_then_import_into_an_empty_store_then_export_gives_the_same_with_kept_or_new_ids()
    {
        using var source = new TempDirectory();
        using var project = new TempDirectory();
        await PopulateAsync(source.Path, project.Path);
        var file = Path.Combine(source.Path, "out", "export.json");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var exported = await Run("export", "--data-dir", source.Path, "--output", file);
        await Assert.That(exported.Exit).IsEqualTo(0).Because(exported.Err);
        await Assert.That(exported.Out).IsEmpty();
        await Assert.That(exported.Err).Contains("exported 1 session(s), 1 task(s), 3 subtask(s), 1 artifact(s)");
        await Assert.That(FileModes.Octal(file)).IsEqualTo("0600");
        var first = await File.ReadAllTextAsync(file);
        var document = JsonNode.Parse(first)!;
        await Assert.That(document["format"]!.GetValue<string>()).IsEqualTo("orchestrator-export");
        await Assert.That(document["version"]!.GetValue<int>()).IsEqualTo(1);
        // The restart's suspension and resumption are in the history, between the client's own changes.
        await Assert.That(document["history"]!.AsArray().Count(h => h!["actor"]!.GetValue<string>() == "orchestrator")).IsEqualTo(2);

        using var kept = new TempDirectory();
        var imported = await Run("import", file, "--data-dir", kept.Path);
        await Assert.That(imported.Exit).IsEqualTo(0).Because(imported.Err);
        await Assert.That(imported.Out).Contains("imported 1 task(s), 3 subtask(s), 2 dependenc(ies), 1 artifact(s)");
        await Assert.That(imported.Out).Contains("ids kept as in the file");
        var again = await Run("export", "--data-dir", kept.Path);
        await Assert.That(again.Exit).IsEqualTo(0).Because(again.Err);
        await Assert.That(ExportImportTests.Content(again.Out)).IsEqualTo(ExportImportTests.Content(first));

        using var renewed = new TempDirectory();
        var copied = await Run("import", file, "--new-ids", "--data-dir", renewed.Path);
        await Assert.That(copied.Exit).IsEqualTo(0).Because(copied.Err);
        await Assert.That(copied.Out).Contains("fresh ids given to every task, subtask and artifact");
        var copy = (await Run("export", "--data-dir", renewed.Path)).Out;
        await Assert.That(JsonNode.Parse(copy)!["tasks"]![0]!["id"]!.GetValue<string>()).IsNotEqualTo(document["tasks"]![0]!["id"]!.GetValue<string>());
        await Assert.That(ExportImportTests.WithoutIds(ExportImportTests.Content(copy))).IsEqualTo(ExportImportTests.WithoutIds(ExportImportTests.Content(first)));

        // The imported store serves: a client sees the task and goes on with it.
        await using var client = await McpStdioClient.StartInitializedAsync(kept.Path);
        var status = (await client.CallToolAsync("orchestrator_get_status", new JsonObject { ["task_id"] = document["tasks"]![0]!["id"]!.DeepClone() })).Structured();
        await Assert.That(status["tasks"]![0]!["status"]!.GetValue<string>()).IsEqualTo("blocked");
        var markdown = await Run("export", "--data-dir", kept.Path, "--format", "markdown");
        await Assert.That(markdown.Out).Contains("| 3 | Step docs (`docs`) | documenter | blocked | no access |");
    }

    [Test]
    public async Task Bad_files_are_refused_exit_1_naming_the_problem_and_change_nothing()
    {
        using var source = new TempDirectory();
        using var project = new TempDirectory();
        await PopulateAsync(source.Path, project.Path);
        var export = (await Run("export", "--data-dir", source.Path)).Out;
        using var target = new TempDirectory();
        await PopulateAsync(target.Path, project.Path);
        var before = StoreDump.Of(target.Path);

        async Task Refused(string content, string expected, params string[] flags)
        {
            var file = Path.Combine(target.Path, "bad.json");
            await File.WriteAllTextAsync(file, content);
            var run = await Run(["import", file, .. flags, "--data-dir", target.Path]);
            await Assert.That(run.Exit).IsEqualTo(1).Because(run.Err);
            await Assert.That(run.Err).Contains("import refused, nothing changed");
            await Assert.That(run.Err).Contains(expected);
            await Assert.That(StoreDump.Of(target.Path)).IsEqualTo(before);
        }
        JsonObject Edit(Action<JsonObject> change)
        {
            var node = JsonNode.Parse(export)!.AsObject();
            change(node);
            return node;
        }
        await Refused("{ not json", "not valid JSON");
        await Refused(Edit(n => n["version"] = 7).ToJsonString(), "unknown export version: \"version\" is 7");
        await Refused(Edit(n => n["format"] = "something-else").ToJsonString(), "not an orchestrator export");
        await Refused(Edit(n => n["subtasks"]![1]!["task_id"] = "task_missing").ToJsonString(), "its task task_missing is not in the export");
        await Refused(Edit(n => n["dependencies"]![0]!["depends_on_id"] = "sub_missing").ToJsonString(), "subtask sub_missing is not in the export");
        await Refused(Edit(n => n["artifacts"]![0]!["subtask_id"] = "sub_missing").ToJsonString(), "its subtask sub_missing is not in the export");
        // The same project directory has another session here: kept ids refuse, naming it.
        await Refused(export, "already has working directory");

        // Importing the target's own export again with kept ids: every id collides.
        var own = (await Run("export", "--data-dir", target.Path)).Out;
        await Refused(own, "already exists in the store (--new-ids imports under fresh ids)");

        var usage = await Run("import", "--data-dir", target.Path);
        await Assert.That(usage.Exit).IsEqualTo(2);
        await Assert.That(usage.Err).Contains("Usage: orchestrator import FILE");
    }

    [Test]
    public async Task The_export_tool_writes_a_private_file_in_the_data_directory_and_answers_its_path_size_and_content()
    {
        using var data = new TempDirectory();
        using var project = new TempDirectory();
        await PopulateAsync(data.Path, project.Path);
        await using var client = await McpStdioClient.StartInitializedAsync(data.Path);
        var json = (await client.CallToolAsync("orchestrator_export", new JsonObject())).Structured();
        var path = json["path"]!.GetValue<string>();
        await Assert.That(Path.GetDirectoryName(path)).IsEqualTo(Path.Combine(data.Path, "exports"));
        await Assert.That(FileModes.Octal(path)).IsEqualTo("0600");
        await Assert.That(FileModes.Octal(Path.GetDirectoryName(path)!)).IsEqualTo("0700");
        var written = await File.ReadAllTextAsync(path);
        await Assert.That(json["bytes"]!.GetValue<long>()).IsEqualTo(new FileInfo(path).Length);
        await Assert.That(json["content"]!.GetValue<string>()).IsEqualTo(written);
        await Assert.That((json["tasks"]!.GetValue<int>(), json["subtasks"]!.GetValue<int>(), json["artifacts"]!.GetValue<int>())).IsEqualTo((1, 3, 1));

        var markdown = (await client.CallToolAsync("orchestrator_export", new JsonObject { ["format"] = "markdown" })).Structured();
        await Assert.That(markdown["path"]!.GetValue<string>()).EndsWith(".md");
        await Assert.That(markdown["content"]!.GetValue<string>()).Contains("### Port the decoder");

        // Larger than the answer budget: the file holds it all, the answer says where.
        var big = new string('x', 30_000);
        var session = (await client.CallToolAsync("orchestrator_initialize_session", new JsonObject { ["working_directory"] = project.Path })).Structured()["session_id"]!.DeepClone();
        (await client.CallToolAsync("orchestrator_plan_task", new JsonObject
        {
            ["session_id"] = session, ["title"] = "Big", ["description"] = big[..19_000],
            ["subtasks"] = new JsonArray(new JsonObject { ["key"] = "a", ["title"] = "A", ["role"] = "implementer", ["description"] = big[..19_000] }),
        })).Structured();
        var large = (await client.CallToolAsync("orchestrator_export", new JsonObject())).Structured();
        await Assert.That(large["content"]).IsNull();
        await Assert.That(large["bytes"]!.GetValue<long>()).IsGreaterThan(38_000);
        await Assert.That(await File.ReadAllTextAsync(large["path"]!.GetValue<string>())).Contains(big[..19_000]);

        var unknown = (await client.CallToolAsync("orchestrator_export", new JsonObject { ["session_id"] = "sess_nope" })).Error();
        await Assert.That(unknown["error_code"]!.GetValue<string>()).IsEqualTo("NOT_FOUND");
    }
}
