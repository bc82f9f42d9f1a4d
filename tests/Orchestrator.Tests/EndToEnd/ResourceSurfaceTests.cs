using System.Text.Json.Nodes;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>
/// Resources, prompts and completions over stdio, as raw JSON-RPC against the published binary: what initialize
/// advertises, paging, reads of every URI kind, the two error kinds, prompts that embed the store's state,
/// completions, the resource_link items of tool results, and reads served by an image resumed in place (which never
/// saw the client's initialize).
/// </summary>
public class ResourceSurfaceTests
{
    private sealed record Planned(string Session, string TaskId, string DesignId, string BuildId, string ArtifactId);

    /// <summary>A session with one task: design (completed, with a code artifact) then build, ready since design completed.</summary>
    private static async Task<Planned> PlanAsync(RestartableServer server, string project, string title = "Streaming parser")
    {
        var session = (await server.CallAsync("orchestrator_initialize_session", new JsonObject { ["working_directory"] = project }))["session_id"]!.GetValue<string>();
        var plan = await server.CallAsync("orchestrator_plan_task", new JsonObject
        {
            ["session_id"] = session, ["title"] = title,
            ["subtasks"] = new JsonArray(
                new JsonObject { ["key"] = "design", ["title"] = "Design the API", ["role"] = "architect" },
                new JsonObject { ["key"] = "build", ["title"] = "Build it", ["role"] = "implementer", ["depends_on"] = new JsonArray("design") }),
        });
        var taskId = plan["task"]!["id"]!.GetValue<string>();
        var subtasks = plan["subtasks"]!.AsArray();
        var designId = subtasks[0]!["id"]!.GetValue<string>();
        var buildId = subtasks[1]!["id"]!.GetValue<string>();
        await server.CallAsync("orchestrator_execute_subtask", new JsonObject { ["subtask_id"] = designId });
        var completed = await server.CallAsync("orchestrator_complete_subtask", new JsonObject
        {
            ["subtask_id"] = designId, ["summary"] = "API designed: push parser", ["detailed_work"] = "interface IParser { void Push(byte[] b); }",
            ["artifact_type"] = "code",
        });
        return new(session, taskId, designId, buildId, completed["artifact_id"]!.GetValue<string>());
    }

    private static async Task<JsonObject> ReadAsync(McpStdioClient client, string uri) =>
        (await client.RequestAsync("resources/read", new JsonObject { ["uri"] = uri }))["contents"]!.AsArray().Single()!.AsObject();

    private static string Text(JsonObject contents) => contents["text"]!.GetValue<string>();

    [Test]
    public async Task Initialize_advertises_resources_with_subscriptions_prompts_and_completions()
    {
        using var data = new TempDirectory();
        await using var client = McpStdioClient.Start(data.Path);
        var capabilities = (await client.InitializeAsync())["capabilities"]!;
        await Assert.That(capabilities["resources"]?["subscribe"]?.GetValue<bool>() == true).IsTrue();
        await Assert.That(capabilities["prompts"]).IsNotNull();
        await Assert.That(capabilities["completions"]).IsNotNull();
        await Assert.That(capabilities["tools"]).IsNotNull();
    }

    [Test]
    public async Task Reads_every_kind_of_uri_with_its_mime_type()
    {
        using var data = new TempDirectory();
        using var project = new TempDirectory();
        await using var server = await RestartableServer.StartAsync(data.Path);
        var p = await PlanAsync(server, project.Path);
        var client = server.Client;

        var task = await ReadAsync(client, $"orchestrator://tasks/{p.TaskId}");
        await Assert.That(task["mimeType"]!.GetValue<string>()).IsEqualTo("text/markdown");
        await Assert.That(Text(task)).StartsWith("# Streaming parser").And.Contains(p.DesignId).And.Contains(p.BuildId)
            .And.Contains("API designed: push parser").And.Contains($"orchestrator://artifacts/{p.ArtifactId}");

        var subtask = await ReadAsync(client, $"orchestrator://subtasks/{p.BuildId}");
        await Assert.That(Text(subtask)).Contains("Build it").And.Contains($"orchestrator://subtasks/{p.DesignId}").And.Contains("No result yet.");

        var artifact = await ReadAsync(client, $"orchestrator://artifacts/{p.ArtifactId}");
        await Assert.That(artifact["mimeType"]!.GetValue<string>()).IsEqualTo("text/plain");
        await Assert.That(Text(artifact)).IsEqualTo("interface IParser { void Push(byte[] b); }");
        await Assert.That(artifact["uri"]!.GetValue<string>()).IsEqualTo($"orchestrator://artifacts/{p.ArtifactId}");

        await Assert.That(Text(await ReadAsync(client, "orchestrator://tasks/open"))).Contains($"orchestrator://tasks/{p.TaskId}");
        await Assert.That(Text(await ReadAsync(client, "orchestrator://subtasks/ready"))).Contains(p.BuildId).And.DoesNotContain(p.DesignId);
        await Assert.That(Text(await ReadAsync(client, $"orchestrator://sessions/{p.Session}/tasks"))).Contains(p.TaskId).And.Contains(project.Path);

        var templates = (await client.RequestAsync("resources/templates/list"))["resourceTemplates"]!.AsArray()
            .Select(t => t!["uriTemplate"]!.GetValue<string>()).ToList();
        await Assert.That(templates).IsEquivalentTo(new[]
        {
            "orchestrator://tasks/{task_id}", "orchestrator://subtasks/{subtask_id}", "orchestrator://artifacts/{artifact_id}",
            "orchestrator://sessions/{session_id}/tasks",
        });
    }

    [Test]
    public async Task Lists_every_task_once_in_pages_of_a_hundred()
    {
        using var data = new TempDirectory();
        using var project = new TempDirectory();
        await using var server = await RestartableServer.StartAsync(data.Path);
        var session = (await server.CallAsync("orchestrator_initialize_session", new JsonObject { ["working_directory"] = project.Path }))["session_id"]!.GetValue<string>();
        var planned = new List<string>();
        for (var i = 0; i < 130; i++)
        {
            var plan = await server.CallAsync("orchestrator_plan_task", new JsonObject
            {
                ["session_id"] = session, ["title"] = $"task {i}",
                ["subtasks"] = new JsonArray(new JsonObject { ["title"] = "only step", ["role"] = "implementer" }),
            });
            planned.Add($"orchestrator://tasks/{plan["task"]!["id"]!.GetValue<string>()}");
        }

        var first = await server.Client.RequestAsync("resources/list");
        var firstUris = first["resources"]!.AsArray().Select(r => r!["uri"]!.GetValue<string>()).ToList();
        await Assert.That(firstUris.Count).IsEqualTo(102);
        await Assert.That(firstUris.Take(2)).IsEquivalentTo(new[] { "orchestrator://tasks/open", "orchestrator://subtasks/ready" });
        var cursor = first["nextCursor"]!.GetValue<string>();
        var second = await server.Client.RequestAsync("resources/list", new JsonObject { ["cursor"] = cursor });
        var secondUris = second["resources"]!.AsArray().Select(r => r!["uri"]!.GetValue<string>()).ToList();
        await Assert.That(secondUris.Count).IsEqualTo(30);
        await Assert.That(second["nextCursor"]).IsNull();
        var listed = firstUris.Skip(2).Concat(secondUris).ToList();
        await Assert.That(listed).IsEquivalentTo(planned);
        await Assert.That(listed.Distinct().Count()).IsEqualTo(130);

        // The same cursor gives the same page: the order is stable.
        var again = await server.Client.RequestAsync("resources/list", new JsonObject { ["cursor"] = cursor });
        await Assert.That(again["resources"]!.AsArray().Select(r => r!["uri"]!.GetValue<string>())).IsEquivalentTo(secondUris);
    }

    [Test]
    public async Task Unknown_uris_are_not_found_and_malformed_ones_invalid_params_and_nothing_breaks()
    {
        using var data = new TempDirectory();
        using var project = new TempDirectory();
        await using var server = await RestartableServer.StartAsync(data.Path);
        var p = await PlanAsync(server, project.Path);
        var client = server.Client;

        foreach (var unknown in new[] { "orchestrator://tasks/task_000000000000", "orchestrator://artifacts/nope", "orchestrator://elsewhere/x", "https://example.com/a" })
        {
            var error = (await client.SendAsync("resources/read", new JsonObject { ["uri"] = unknown }))["error"]!;
            await Assert.That(error["code"]!.GetValue<int>()).IsEqualTo(-32002);
            await Assert.That(error["data"]!["uri"]!.GetValue<string>()).IsEqualTo(unknown);
        }
        foreach (var parameters in new JsonObject[]
        {
            new() { ["uri"] = "not a uri" }, new() { ["uri"] = "orchestrator://tasks/a b" }, new() { ["uri"] = "orchestrator://tasks/" },
            new() { ["uri"] = "orchestrator://tasks/x?y=1" }, new() { ["uri"] = 42 }, new(),
        })
        {
            var error = (await client.SendAsync("resources/read", parameters))["error"]!;
            await Assert.That(error["code"]!.GetValue<int>()).IsEqualTo(-32602);
        }
        foreach (var cursor in new JsonNode[] { "garbage!", "cjE6", JsonValue.Create(7) })
        {
            var error = (await client.SendAsync("resources/list", new JsonObject { ["cursor"] = cursor }))["error"]!;
            await Assert.That(error["code"]!.GetValue<int>()).IsEqualTo(-32602);
        }
        await Assert.That((await client.SendAsync("prompts/get", new JsonObject { ["name"] = "no_such_prompt" }))["error"]!["code"]!.GetValue<int>()).IsEqualTo(-32602);
        await Assert.That((await client.SendAsync("prompts/get", new JsonObject { ["name"] = "review_subtask" }))["error"]!["code"]!.GetValue<int>()).IsEqualTo(-32602);

        // Still serving, and the store unchanged by any of it.
        await Assert.That(Text(await ReadAsync(client, $"orchestrator://tasks/{p.TaskId}"))).Contains(p.BuildId);
        await Assert.That(client.HasExited).IsFalse();
    }

    [Test]
    public async Task Prompts_embed_the_current_state_as_resources()
    {
        using var data = new TempDirectory();
        using var project = new TempDirectory();
        await using var server = await RestartableServer.StartAsync(data.Path);
        var p = await PlanAsync(server, project.Path);
        var client = server.Client;

        var names = (await client.RequestAsync("prompts/list"))["prompts"]!.AsArray().Select(x => x!["name"]!.GetValue<string>()).ToList();
        await Assert.That(names).IsEquivalentTo(new[] { "plan_goal", "work_next_subtask", "review_subtask", "synthesize_task" });

        var next = await client.RequestAsync("prompts/get", new JsonObject
        {
            ["name"] = "work_next_subtask", ["arguments"] = new JsonObject { ["task_id"] = p.TaskId },
        });
        var messages = next["messages"]!.AsArray();
        var embedded = messages.Where(m => m!["content"]!["type"]!.GetValue<string>() == "resource")
            .Select(m => m!["content"]!["resource"]!["uri"]!.GetValue<string>()).ToList();
        // The task, the ready subtask (build), and the result it depends on (design).
        await Assert.That(embedded).IsEquivalentTo(new[]
        {
            $"orchestrator://tasks/{p.TaskId}", $"orchestrator://subtasks/{p.BuildId}", $"orchestrator://subtasks/{p.DesignId}",
        });
        var instruction = messages.Last()!["content"]!;
        await Assert.That(instruction["type"]!.GetValue<string>()).IsEqualTo("text");
        await Assert.That(instruction["text"]!.GetValue<string>()).Contains(p.BuildId);
        var designResult = messages.Single(m => m!["content"]!["resource"]?["uri"]?.GetValue<string>() == $"orchestrator://subtasks/{p.DesignId}");
        await Assert.That(designResult!["content"]!["resource"]!["text"]!.GetValue<string>()).Contains("API designed: push parser");

        var plan = await client.RequestAsync("prompts/get", new JsonObject
        {
            ["name"] = "plan_goal", ["arguments"] = new JsonObject { ["goal"] = "ship the parser", ["session"] = p.Session },
        });
        await Assert.That(plan["messages"]!.AsArray().Last()!["content"]!["text"]!.GetValue<string>()).Contains("ship the parser");

        var missing = (await client.SendAsync("prompts/get", new JsonObject
        {
            ["name"] = "synthesize_task", ["arguments"] = new JsonObject { ["task_id"] = "task_ffffffffffff" },
        }))["error"]!;
        await Assert.That(missing["code"]!.GetValue<int>()).IsEqualTo(-32002);
    }

    [Test]
    public async Task Completes_ids_by_prefix_then_recency()
    {
        using var data = new TempDirectory();
        using var project = new TempDirectory();
        await using var server = await RestartableServer.StartAsync(data.Path);
        var older = await PlanAsync(server, project.Path, "older");
        var newer = await PlanAsync(server, project.Path, "newer");
        var client = server.Client;

        var all = (await client.RequestAsync("completion/complete", new JsonObject
        {
            ["ref"] = new JsonObject { ["type"] = "ref/prompt", ["name"] = "synthesize_task" },
            ["argument"] = new JsonObject { ["name"] = "task_id", ["value"] = "task_" },
        }))["completion"]!;
        await Assert.That(all["values"]!.AsArray().Select(v => v!.GetValue<string>())).IsEquivalentTo(new[] { newer.TaskId, older.TaskId });

        var prefix = older.TaskId[..8];
        var byPrefix = (await client.RequestAsync("completion/complete", new JsonObject
        {
            ["ref"] = new JsonObject { ["type"] = "ref/resource", ["uri"] = "orchestrator://tasks/{task_id}" },
            ["argument"] = new JsonObject { ["name"] = "task_id", ["value"] = prefix },
        }))["completion"]!["values"]!.AsArray().Select(v => v!.GetValue<string>()).ToList();
        await Assert.That(byPrefix[0]).IsEqualTo(older.TaskId);
        await Assert.That(byPrefix.All(v => v.Contains(prefix, StringComparison.Ordinal))).IsTrue();

        var subtasks = (await client.RequestAsync("completion/complete", new JsonObject
        {
            ["ref"] = new JsonObject { ["type"] = "ref/prompt", ["name"] = "review_subtask" },
            ["argument"] = new JsonObject { ["name"] = "subtask_id", ["value"] = older.DesignId },
        }))["completion"]!["values"]!.AsArray().Select(v => v!.GetValue<string>()).ToList();
        await Assert.That(subtasks).IsEquivalentTo(new[] { older.DesignId });

        var bad = (await client.SendAsync("completion/complete", new JsonObject { ["ref"] = new JsonObject { ["type"] = "ref/other" } }))["error"]!;
        await Assert.That(bad["code"]!.GetValue<int>()).IsEqualTo(-32602);
    }

    [Test]
    public async Task An_image_resumed_in_place_serves_resources_and_prompts_to_the_carried_session()
    {
        using var data = new TempDirectory();
        using var project = new TempDirectory();
        await using var server = await RestartableServer.StartAsync(data.Path);
        var p = await PlanAsync(server, project.Path);
        await server.RestartInPlaceAsync();

        var artifact = await ReadAsync(server.Client, $"orchestrator://artifacts/{p.ArtifactId}");
        await Assert.That(Text(artifact)).IsEqualTo("interface IParser { void Push(byte[] b); }");
        var prompts = await server.Client.RequestAsync("prompts/list");
        await Assert.That(prompts["prompts"]!.AsArray().Count).IsEqualTo(4);
    }

    private static bool IsUpdateOf(JsonObject notification, string uri) =>
        notification["method"]?.GetValue<string>() == "notifications/resources/updated" && notification["params"]?["uri"]?.GetValue<string>() == uri;

    [Test]
    public async Task A_subscription_survives_an_in_place_restart_and_the_change_after_it_is_notified()
    {
        using var data = new TempDirectory();
        using var project = new TempDirectory();
        await using var server = await RestartableServer.StartAsync(data.Path);
        var watched = await PlanAsync(server, project.Path, "watched");
        var other = await PlanAsync(server, project.Path, "other");
        var watchedUri = $"orchestrator://tasks/{watched.TaskId}";
        var subtaskUri = $"orchestrator://subtasks/{watched.BuildId}";

        await server.Client.RequestAsync("resources/subscribe", new JsonObject { ["uri"] = watchedUri });
        await server.Client.RequestAsync("resources/subscribe", new JsonObject { ["uri"] = subtaskUri });
        var unknown = (await server.Client.SendAsync("resources/subscribe", new JsonObject { ["uri"] = "orchestrator://tasks/task_000000000000" }))["error"]!;
        await Assert.That(unknown["code"]!.GetValue<int>()).IsEqualTo(-32002);
        var malformed = (await server.Client.SendAsync("resources/subscribe", new JsonObject { ["uri"] = "::" }))["error"]!;
        await Assert.That(malformed["code"]!.GetValue<int>()).IsEqualTo(-32602);

        await server.RestartInPlaceAsync();
        // A change to a task nobody subscribed to, then one to the subscribed subtask (and so its task).
        await server.CallAsync("orchestrator_execute_subtask", new JsonObject { ["subtask_id"] = other.BuildId });
        await server.CallAsync("orchestrator_execute_subtask", new JsonObject { ["subtask_id"] = watched.BuildId });

        await server.Client.WaitForNotificationAsync(n => IsUpdateOf(n, watchedUri));
        await server.Client.WaitForNotificationAsync(n => IsUpdateOf(n, subtaskUri));
        // The other task's change was polled no later than the watched one's: had it been notified, it would be here.
        await Assert.That(server.Client.Notifications.Any(n => IsUpdateOf(n, $"orchestrator://tasks/{other.TaskId}"))).IsFalse();

        // Unsubscribed, then changed: the next update is for the subscription that remains only.
        await server.Client.RequestAsync("resources/unsubscribe", new JsonObject { ["uri"] = watchedUri });
        var before = server.Client.Notifications.Count(n => IsUpdateOf(n, watchedUri));
        await server.CallAsync("orchestrator_complete_subtask", new JsonObject
        {
            ["subtask_id"] = watched.BuildId, ["summary"] = "built", ["detailed_work"] = "the code",
        });
        var updates = server.Client.Notifications.Count(n => IsUpdateOf(n, subtaskUri));
        await server.Client.WaitForNotificationAsync(n => IsUpdateOf(n, subtaskUri) &&
            server.Client.Notifications.Count(x => IsUpdateOf(x, subtaskUri)) > updates);
        await Assert.That(server.Client.Notifications.Count(n => IsUpdateOf(n, watchedUri))).IsEqualTo(before);
    }

    private static JsonObject[] LinksOf(JsonObject result) =>
        result["content"]!.AsArray().Select(c => c!.AsObject()).Where(c => c["type"]!.GetValue<string>() == "resource_link").ToArray();

    private static string[] UrisOf(JsonObject result) => LinksOf(result).Select(l => l["uri"]!.GetValue<string>()).ToArray();

    [Test]
    public async Task Tool_results_link_the_tasks_subtasks_and_artifacts_they_mention_and_a_replay_links_the_same()
    {
        using var data = new TempDirectory();
        using var project = new TempDirectory();
        await using var server = await RestartableServer.StartAsync(data.Path);
        var p = await PlanAsync(server, project.Path);
        var taskUri = $"orchestrator://tasks/{p.TaskId}";

        // The text block stays first (clients that read content[0] keep working); links follow it.
        var status = await server.RawAsync("orchestrator_get_status", new JsonObject { ["task_id"] = p.TaskId });
        await Assert.That(status["content"]![0]!["type"]!.GetValue<string>()).IsEqualTo("text");
        await Assert.That(UrisOf(status)).Contains(taskUri).And.Contains($"orchestrator://subtasks/{p.DesignId}").And.Contains($"orchestrator://subtasks/{p.BuildId}");
        var taskLink = LinksOf(status).First(l => l["uri"]!.GetValue<string>() == taskUri);
        await Assert.That(taskLink["title"]!.GetValue<string>()).IsEqualTo("Streaming parser");
        await Assert.That(taskLink["name"]!.GetValue<string>()).IsEqualTo(p.TaskId);
        await Assert.That(taskLink["mimeType"]!.GetValue<string>()).IsEqualTo("text/markdown");

        // execute_subtask hands over the dependency's artifact as a link: the whole work is one resources/read away.
        var execute = await server.RawAsync("orchestrator_execute_subtask", new JsonObject { ["subtask_id"] = p.BuildId });
        var artifactLink = LinksOf(execute).Single(l => l["uri"]!.GetValue<string>() == $"orchestrator://artifacts/{p.ArtifactId}");
        await Assert.That(artifactLink["mimeType"]!.GetValue<string>()).IsEqualTo("text/plain");
        await Assert.That(UrisOf(execute)).Contains($"orchestrator://subtasks/{p.BuildId}").And.Contains(taskUri);
        foreach (var uri in UrisOf(execute))
            await Assert.That((await ReadAsync(server.Client, uri))["uri"]!.GetValue<string>()).IsEqualTo(uri);

        // complete_subtask links the artifact it stored; the same request_id again answers the same, links included.
        var arguments = new JsonObject
        {
            ["subtask_id"] = p.BuildId, ["summary"] = "built", ["detailed_work"] = "# Build notes", ["artifact_type"] = "documentation",
            ["request_id"] = "complete-build-1",
        };
        var first = await server.RawAsync("orchestrator_complete_subtask", (JsonObject)arguments.DeepClone());
        var artifactId = first["structuredContent"]!["artifact_id"]!.GetValue<string>();
        var stored = LinksOf(first).Single(l => l["uri"]!.GetValue<string>() == $"orchestrator://artifacts/{artifactId}");
        await Assert.That(stored["mimeType"]!.GetValue<string>()).IsEqualTo("text/markdown");
        await Assert.That(stored["title"]!.GetValue<string>()).IsEqualTo("Artifact of Build it");
        await server.RestartInPlaceAsync();
        var replay = await server.RawAsync("orchestrator_complete_subtask", (JsonObject)arguments.DeepClone());
        await Assert.That(replay["content"]!.ToJsonString()).IsEqualTo(first["content"]!.ToJsonString());

        // A result that mentions no task (the reboot tools) carries no link; nor does a refusal.
        await Assert.That(LinksOf(await server.RawAsync("orchestrator_health_check"))).IsEmpty();
        await Assert.That(LinksOf(await server.RawAsync("orchestrator_get_status", new JsonObject { ["task_id"] = "task_000000000000" }))).IsEmpty();
    }
}
