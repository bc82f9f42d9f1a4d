using System.Text.Json.Nodes;
using Orchestrator.Tests.EndToEnd;

namespace Orchestrator.Tests.Http;

/// <summary>
/// A 2025-11-25 session's standalone event stream (GET /mcp) against the published binary over raw sockets: subscribed
/// resources announce their changes on it; an in-place restart ends it cleanly (the restart does not wait on it), and the
/// client that reopens it with its last event id hears of what changed while it was away, from the new image; after a
/// live upgrade into a binary serving other tools, the reopened stream says so once. Whatever is wrong with a GET gets a
/// clear status.
/// </summary>
public sealed class SessionStreamTests
{
    private const string Updated = "notifications/resources/updated";

    private static async Task<(string TaskUri, string First, string Second)> PlanAsync(RawHttpConnection client)
    {
        var session = (await client.CallToolAsync("orchestrator_initialize_session", new JsonObject { ["working_directory"] = Path.GetTempPath() }))
            .Result().Structured()["session_id"]!.GetValue<string>();
        var plan = (await client.CallToolAsync("orchestrator_plan_task", new JsonObject
        {
            ["session_id"] = session,
            ["title"] = "Watched work",
            ["subtasks"] = new JsonArray
            {
                new JsonObject { ["key"] = "first", ["title"] = "First step", ["role"] = "implementer" },
                new JsonObject { ["key"] = "second", ["title"] = "Second step", ["role"] = "tester" },
            },
        })).Result().Structured();
        var subtasks = plan["subtasks"]!.AsArray().Select(s => s!["id"]!.GetValue<string>()).ToArray();
        return ($"orchestrator://tasks/{plan["task"]!["id"]!.GetValue<string>()}", subtasks[0], subtasks[1]);
    }

    private static async Task SubscribeAsync(RawHttpConnection client, string uri)
    {
        var (status, _, answer) = await client.PostAsync("resources/subscribe", new JsonObject { ["uri"] = uri });
        await Assert.That(status).IsEqualTo(200);
        await Assert.That(answer?["result"]).IsNotNull().Because(answer?.ToJsonString() ?? "no answer");
    }

    private static async Task<ServerSentEvent> OpenAsync(RawHttpConnection stream, string? lastEventId = null)
    {
        var (status, headers) = await stream.GetStreamAsync(lastEventId);
        await Assert.That(status).IsEqualTo(200);
        await Assert.That(headers["content-type"]).StartsWith("text/event-stream");
        var priming = (await stream.ReadEventAsync())!;
        await Assert.That(priming.Id).IsNotNull().And.StartsWith("u");
        await Assert.That(priming.Data).IsEqualTo("");
        await Assert.That(priming.Retry).IsNotNull();
        return priming;
    }

    /// <summary>
    /// The next event that carries a message (keep-alive comments skipped); null when the stream ended. Bounded as a whole:
    /// keep-alives every 15 s would otherwise keep a wait for a message that never comes alive forever.
    /// </summary>
    private static Task<ServerSentEvent?> NextMessageAsync(RawHttpConnection stream) => NextMessageUnboundedAsync(stream).WaitAsync(McpStdioClient.AnswerTimeout);

    private static async Task<ServerSentEvent?> NextMessageUnboundedAsync(RawHttpConnection stream)
    {
        while (await stream.ReadEventAsync() is { } received)
            if (received.Message is not null) return received;
        return null;
    }

    private static async Task<ServerSentEvent> NextUpdateOfAsync(RawHttpConnection stream, string uri)
    {
        while (true)
        {
            var received = await NextMessageAsync(stream);
            await Assert.That(received).IsNotNull().Because($"the stream ended before an update of {uri}");
            var message = received!.Message!;
            if (message["method"]?.GetValue<string>() == Updated && message["params"]!["uri"]!.GetValue<string>() == uri) return received;
        }
    }

    private static async Task RestartAsync(RawHttpConnection client, string reason = "manual_request")
    {
        var answer = (await client.CallToolAsync("orchestrator_restart_server", new JsonObject { ["reason"] = reason })).Result();
        await Assert.That(answer["isError"]?.GetValue<bool>() ?? false).IsFalse().Because(answer.ToJsonString());
        await Assert.That(answer.Structured()["phase"]!.GetValue<string>()).IsEqualTo("complete");
    }

    [Test]
    public async Task A_subscribed_task_is_announced_on_the_stream_and_a_change_made_across_an_in_place_restart_reaches_the_reopened_stream()
    {
        using var data = new TempDirectory();
        await using var server = await HttpServerProcess.StartAsync(data.Path, "--no-rate-limits");
        using var client = await RawHttpConnection.OpenAsync(server.Url);
        await client.InitializeAsync("subscriber");
        var (taskUri, first, _) = await PlanAsync(client);
        await SubscribeAsync(client, taskUri);

        using var stream = await RawHttpConnection.OpenAsync(server.Url);
        stream.SessionId = client.SessionId;
        await OpenAsync(stream);
        await client.CallToolAsync("orchestrator_execute_subtask", new JsonObject { ["subtask_id"] = first });
        var update = await NextUpdateOfAsync(stream, taskUri);
        await Assert.That(update.Id).IsNotNull().And.StartsWith("u");

        // The restart does not wait on the open stream: it ends it, cleanly, and completes.
        await RestartAsync(client);
        await Assert.That(await NextMessageAsync(stream)).IsNull();

        // A change while no stream is open (the client has not reconnected yet) ...
        await client.CallToolAsync("orchestrator_complete_subtask", new JsonObject { ["subtask_id"] = first, ["summary"] = "first step done", ["detailed_work"] = "Done." });
        // ... reaches the client that reopens its stream from the last event it read, on a connection the new image serves.
        using var reopened = await RawHttpConnection.OpenAsync(server.Url);
        reopened.SessionId = client.SessionId;
        await OpenAsync(reopened, update.Id);
        await NextUpdateOfAsync(reopened, taskUri);
        await Assert.That(server.HasExited).IsFalse();
        await Assert.That((await client.CallToolAsync("orchestrator_health_check")).Result().Structured()["restart_generation"]!.GetValue<int>())
            .IsEqualTo(1);
    }

    [Test]
    public async Task A_second_stream_replaces_the_first_and_deleting_the_session_ends_it()
    {
        using var data = new TempDirectory();
        await using var server = await HttpServerProcess.StartAsync(data.Path, "--no-rate-limits");
        using var client = await RawHttpConnection.OpenAsync(server.Url);
        await client.InitializeAsync("twice");
        using var older = await RawHttpConnection.OpenAsync(server.Url);
        older.SessionId = client.SessionId;
        await OpenAsync(older);
        using var newer = await RawHttpConnection.OpenAsync(server.Url);
        newer.SessionId = client.SessionId;
        await OpenAsync(newer);
        await Assert.That(await NextMessageAsync(older)).IsNull();

        var (deleted, _, _) = await client.SendDeleteAsync();
        await Assert.That(deleted).IsLessThan(300);
        await Assert.That(await NextMessageAsync(newer)).IsNull();
    }

    [Test]
    public async Task A_get_outside_a_session_for_an_unknown_one_or_not_accepting_events_gets_a_clear_status()
    {
        const string Token = "stream-test-token";
        using var data = new TempDirectory();
        await using var server = await HttpServerProcess.StartAsync(data.Path, "--no-rate-limits", "--auth-token", Token);
        using var client = await RawHttpConnection.OpenAsync(server.Url, token: Token);
        await client.InitializeAsync("refusals");

        using (var sessionless = await RawHttpConnection.OpenAsync(server.Url, token: Token))
            await Assert.That((await sessionless.GetStreamAsync()).Status).IsEqualTo(405);
        using (var stranger = await RawHttpConnection.OpenAsync(server.Url, token: Token))
        {
            stranger.SessionId = "no-such-session";
            await Assert.That((await stranger.GetStreamAsync()).Status).IsEqualTo(404);
        }
        using (var anonymous = await RawHttpConnection.OpenAsync(server.Url))
        {
            anonymous.SessionId = client.SessionId;
            await Assert.That((await anonymous.GetStreamAsync()).Status).IsEqualTo(401);
        }
        using (var jsonOnly = await RawHttpConnection.OpenAsync(server.Url, token: Token))
        {
            jsonOnly.SessionId = client.SessionId;
            var (status, headers) = await jsonOnly.GetStreamAsync(accept: "application/json");
            await Assert.That(status).IsEqualTo(406);
            await Assert.That(headers["content-type"]).StartsWith("application/json");
        }
        // A subscription to what does not exist is refused like a read of it, and nothing is subscribed.
        var (_, _, missing) = await client.PostAsync("resources/subscribe", new JsonObject { ["uri"] = "orchestrator://tasks/task_000000000000" });
        await Assert.That(missing?["error"]?["code"]?.GetValue<int>()).IsEqualTo(-32002);
        var (_, _, malformed) = await client.PostAsync("resources/subscribe", new JsonObject { ["uri"] = "::" });
        await Assert.That(malformed?["error"]?["code"]?.GetValue<int>()).IsEqualTo(-32602);
        await Assert.That(server.HasExited).IsFalse();
    }

    [Test]
    public async Task A_live_upgrade_into_a_binary_serving_other_tools_is_told_once_on_the_reopened_stream_and_a_plain_restart_never()
    {
        using var install = new TempDirectory();
        using var data = new TempDirectory();
        var binary = ExecutableCopy.StageUpgradeServingMoreTools(install.Path);
        await using var server = await HttpServerProcess.StartBinaryAsync(binary, data.Path,
            new Dictionary<string, string> { ["ORCHESTRATOR_TEST_HOOKS"] = "build-identity" }, "--no-rate-limits");
        using var client = await RawHttpConnection.OpenAsync(server.Url);
        await client.InitializeAsync("upgraded");
        using var stream = await RawHttpConnection.OpenAsync(server.Url);
        stream.SessionId = client.SessionId;
        var priming = await OpenAsync(stream);

        await RestartAsync(client, "configuration_update");
        await Assert.That(await NextMessageAsync(stream)).IsNull();
        using var reopened = await RawHttpConnection.OpenAsync(server.Url);
        reopened.SessionId = client.SessionId;
        var again = await OpenAsync(reopened, priming.Id);
        var told = await NextMessageAsync(reopened);
        await Assert.That(told!.Message!["method"]!.GetValue<string>()).IsEqualTo("notifications/tools/list_changed");

        // The upgraded image serves the task tools: a subscribed task's change is the next thing the stream says. After a
        // plain restart into the same binary, the reopened stream's first message is again that update, not a list change.
        var (taskUri, first, second) = await PlanAsync(client);
        await SubscribeAsync(client, taskUri);
        await client.CallToolAsync("orchestrator_execute_subtask", new JsonObject { ["subtask_id"] = first });
        var update = await NextMessageAsync(reopened);
        await Assert.That(update!.Message!["method"]!.GetValue<string>()).IsEqualTo(Updated);

        await RestartAsync(client);
        await Assert.That(await NextMessageAsync(reopened)).IsNull();
        await client.CallToolAsync("orchestrator_execute_subtask", new JsonObject { ["subtask_id"] = second });
        using var third = await RawHttpConnection.OpenAsync(server.Url);
        third.SessionId = client.SessionId;
        await OpenAsync(third, update.Id ?? again.Id);
        var next = await NextMessageAsync(third);
        await Assert.That(next!.Message!["method"]!.GetValue<string>()).IsEqualTo(Updated);
    }
}
