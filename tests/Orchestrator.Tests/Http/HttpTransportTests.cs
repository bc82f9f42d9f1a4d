using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Tests.EndToEnd;

namespace Orchestrator.Tests.Http;

/// <summary>
/// The published binary over Streamable HTTP, driven as clients would: both protocol revisions, an in-place restart
/// that keeps connections and sessions, concurrent clients across a restart, authentication and origin checks.
/// </summary>
public sealed class HttpTransportTests
{
    [Test]
    public async Task Both_protocol_revisions_are_served_with_the_same_tools()
    {
        using var data = new TempDirectory();
        await using var server = await HttpServerProcess.StartAsync(data.Path);

        using var legacy = new McpHttpClient(server.Url);
        var initialized = await legacy.InitializeAsync();
        await Assert.That(legacy.SessionId).IsNotNull();
        // A session can subscribe (its GET stream carries the updates); a stateless client cannot, and is not told it can.
        await Assert.That(initialized["capabilities"]!["resources"]!["subscribe"]!.GetValue<bool>()).IsTrue();
        var (_, listed) = await legacy.PostAsync("tools/list", new JsonObject());
        var sessionTools = listed!.Result()["tools"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).Order().ToArray();

        using var stateless = new McpHttpClient(server.Url, McpHttpClient.StatelessProtocol);
        var (status, discovered) = await stateless.PostAsync("server/discover", new JsonObject());
        await Assert.That(status).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(discovered!.Result()["supportedVersions"]!.AsArray().Select(v => v!.GetValue<string>())).Contains(McpHttpClient.StatelessProtocol);
        await Assert.That(discovered!.Result()["capabilities"]!["resources"]).IsNotNull();
        await Assert.That(discovered!.Result()["capabilities"]!["resources"]!["subscribe"]).IsNull();
        var (_, statelessList) = await stateless.PostAsync("tools/list", new JsonObject());
        var statelessTools = statelessList!.Result()["tools"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).Order().ToArray();
        await Assert.That(stateless.SessionId).IsNull();

        await Assert.That(sessionTools).Contains("orchestrator_restart_server");
        await Assert.That(statelessTools).IsEquivalentTo(sessionTools);

        var health = (await stateless.CallToolAsync("orchestrator_health_check")).Result().Structured();
        await Assert.That(health["healthy"]!.GetValue<bool>()).IsTrue();
        await Assert.That(health["checks"]!["connections"]!["transport"]!.GetValue<string>()).IsEqualTo("http");
    }

    [Test]
    public async Task A_restart_over_http_is_answered_by_the_new_image_on_the_same_connection_and_the_session_survives()
    {
        using var data = new TempDirectory();
        await using var server = await HttpServerProcess.StartAsync(data.Path);
        using var client = new McpHttpClient(server.Url);
        await client.InitializeAsync();
        var sessionId = client.SessionId!;

        var restart = (await client.CallToolAsync("orchestrator_restart_server", new JsonObject { ["reason"] = "manual_request" })).Result().Structured();
        await Assert.That(restart["success"]!.GetValue<bool>()).IsTrue();
        await Assert.That(restart["pid"]!.GetValue<int>()).IsEqualTo(server.Pid);
        await server.WaitForServingAsync(2); // the new image announces itself: the image was replaced

        // The same session id, on the same TCP connection: nothing to reconnect.
        var test = (await client.CallToolAsync("orchestrator_reconnect_test", new JsonObject { ["session_id"] = sessionId })).Result().Structured();
        await Assert.That(test["overall_status"]!.GetValue<string>()).IsEqualTo("pass");
        await Assert.That(test["results"]!["session_test"]!["status"]!.GetValue<string>()).Contains("1 restart(s) survived");
        await Assert.That(test["results"]!["all_sessions"]!["total_sessions"]!.GetValue<int>()).IsEqualTo(1);
        await Assert.That(client.SessionId).IsEqualTo(sessionId);
        await Assert.That(client.ConnectionsOpened).IsEqualTo(1);
        // The history counts this restart as one that carried the client's session across.
        var stats = test["results"]!["reconnection_stats"]!;
        await Assert.That(stats["successful_reconnections"]!.GetValue<int>()).IsEqualTo(1);
        await Assert.That(stats["status"]!.GetValue<string>()).IsEqualTo("1 of 1 restarts kept the session");

        var status = (await client.CallToolAsync("orchestrator_restart_status", new JsonObject { ["include_history"] = true })).Result().Structured();
        await Assert.That(status["current_status"]!["phase"]!.GetValue<string>()).IsEqualTo("complete");
    }

    [Test]
    public async Task Concurrent_clients_lose_nothing_across_a_restart_and_keep_their_connections_and_sessions()
    {
        const int Clients = 6;
        const int CallsBeforeRestart = 15;
        const int CallsAfterRestart = 15;
        using var data = new TempDirectory();
        using var project = new TempDirectory();
        await using var server = await HttpServerProcess.StartAsync(data.Path);

        var clients = Enumerable.Range(0, Clients)
            .Select(i => new McpHttpClient(server.Url, i % 2 == 0 ? McpHttpClient.SessionProtocol : McpHttpClient.StatelessProtocol))
            .ToArray();
        for (var i = 0; i < Clients; i += 2) await clients[i].InitializeAsync();
        var orchestrationSession = (await clients[0].CallToolAsync("orchestrator_initialize_session",
            new JsonObject { ["working_directory"] = project.Path })).Result().Structured()["session_id"]!.GetValue<string>();

        var restartAnswered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var readyForRestart = new CountdownEvent(Clients);
        var created = new List<string>[Clients];
        var answers = new int[Clients];

        async Task Work(int index)
        {
            var client = clients[index];
            created[index] = [];
            var signalled = false;
            for (var call = 0; ; call++)
            {
                if (call == CallsBeforeRestart) { readyForRestart.Signal(); signalled = true; }
                if (signalled && restartAnswered.Task.IsCompleted && call >= CallsBeforeRestart + CallsAfterRestart) break;
                JsonObject answer;
                if (call % 3 == 0)
                {
                    answer = await client.CallToolAsync("orchestrator_plan_task", new JsonObject
                    {
                        ["session_id"] = orchestrationSession,
                        ["title"] = $"client {index} task {call}",
                        ["subtasks"] = new JsonArray(new JsonObject { ["title"] = "work", ["role"] = "implementer" }),
                    });
                    created[index].Add(answer.Result().Structured()["task"]!["id"]!.GetValue<string>());
                }
                else
                {
                    answer = await client.CallToolAsync("orchestrator_health_check");
                    await Assert.That(answer.Result().Structured()["healthy"]!.GetValue<bool>()).IsTrue();
                }
                answers[index]++;
                // Keep calling through the restart until it has been answered, then a fixed number more.
                if (call > 10_000) throw new InvalidOperationException("the restart never completed");
            }
        }

        var workers = Enumerable.Range(0, Clients).Select(i => Task.Run(() => Work(i))).ToArray();
        await Task.Run(() => readyForRestart.Wait(McpStdioClient.AnswerTimeout));
        using var restarter = new McpHttpClient(server.Url);
        await restarter.InitializeAsync();
        var restartCall = restarter.CallToolAsync("orchestrator_restart_server", new JsonObject { ["reason"] = "configuration_update" });
        // A client that connects while the restart runs: its connection waits in the backlog, it is not refused.
        using var latecomer = new McpHttpClient(server.Url, McpHttpClient.StatelessProtocol);
        var lateCall = latecomer.CallToolAsync("orchestrator_health_check");
        var restart = (await restartCall).Result().Structured();
        restartAnswered.SetResult();
        await Task.WhenAll(workers);
        var late = (await lateCall).Result().Structured();

        await Assert.That(restart["success"]!.GetValue<bool>()).IsTrue();
        await Assert.That(restart["pid"]!.GetValue<int>()).IsEqualTo(server.Pid);
        await Assert.That(late["healthy"]!.GetValue<bool>()).IsTrue();
        await server.WaitForServingAsync(2);
        await Assert.That(server.ServingAnnouncements).IsEqualTo(2);
        for (var i = 0; i < Clients; i++)
        {
            await Assert.That(answers[i]).IsGreaterThanOrEqualTo(CallsBeforeRestart + CallsAfterRestart);
            // One TCP connection per client for the whole run: the restart kept every connection open.
            await Assert.That(clients[i].ConnectionsOpened).IsEqualTo(1);
        }

        // Every task a client was told it created exists, exactly once; no other task exists.
        var expected = created.SelectMany(c => c).Order().ToArray();
        var stored = new List<string>();
        // A page ends early when the answer budget cuts it short: next_offset says where the next one starts.
        for (int? offset = 0; offset is not null; )
        {
            var page = (await clients[0].CallToolAsync("orchestrator_query_tasks",
                new JsonObject { ["session_id"] = orchestrationSession, ["limit"] = 100, ["offset"] = offset })).Result().Structured();
            stored.AddRange(page["tasks"]!.AsArray().Select(t => t!["id"]!.GetValue<string>()));
            offset = page["has_more"]!.GetValue<bool>() ? page["next_offset"]!.GetValue<int>() : null;
        }
        await Assert.That(stored.Order().ToArray()).IsEquivalentTo(expected);

        var sessions = (await clients[0].CallToolAsync("orchestrator_reconnect_test")).Result().Structured();
        await Assert.That(sessions["results"]!["all_sessions"]!["total_sessions"]!.GetValue<int>()).IsEqualTo(Clients / 2 + 1);
        foreach (var client in clients) client.Dispose();
    }

    [Test]
    public async Task The_typescript_sdk_client_keeps_its_session_across_a_restart_over_http()
    {
        var clients = Path.Combine(PublishedBinary.RepositoryRoot, "tests", "clients");
        if (!Directory.Exists(Path.Combine(clients, "node_modules", "@modelcontextprotocol", "sdk")))
            throw new InvalidOperationException($"the TypeScript SDK is not installed in {clients}: run ./test.sh (it runs npm ci there)");
        using var data = new TempDirectory();
        await using var server = await HttpServerProcess.StartAsync(data.Path, "--auth-token", "ts-token");
        var (exit, output, error) = await ProcessRun.RunAsync("node", ["ts-sdk-http-restart.mjs", server.Url.ToString(), "ts-token"], clients);

        var findings = JsonNode.Parse(output.Trim().Split('\n')[^1])!;
        await Assert.That(exit).IsEqualTo(0).Because(output + error);
        await Assert.That(findings["ok"]!.GetValue<bool>()).IsTrue();
        await Assert.That(findings["errors"]!.GetValue<int>()).IsEqualTo(0);
        await Assert.That(findings["closed"]!.GetValue<bool>()).IsFalse();
        await Assert.That(findings["pid"]!.GetValue<int>()).IsEqualTo(server.Pid);
        await Assert.That(findings["session_before"]!.GetValue<string>()).IsEqualTo(findings["session_after"]!.GetValue<string>());
        await server.WaitForServingAsync(2);
        await Assert.That(server.ServingAnnouncements).IsEqualTo(2);
    }

    [Test]
    public async Task Rate_limits_count_per_client_not_per_session_and_survive_a_restart()
    {
        using var data = new TempDirectory();
        await using var server = await HttpServerProcess.StartCommandAsync(PublishedBinary.Path, ["--http", "127.0.0.1:0", "--data-dir", data.Path],
            new Dictionary<string, string> { ["ORCHESTRATOR_RATE_LIMITS"] = "on" });
        using var first = new McpHttpClient(server.Url);
        using var elsewhere = new McpHttpClient(server.Url, localAddress: IPAddress.Parse("127.0.0.2")); // another client: another address
        await first.InitializeAsync();
        await elsewhere.InitializeAsync();

        // orchestrator_reconnect_test allows 5 calls a minute per client.
        for (var i = 0; i < 5; i++)
            await Assert.That((await first.CallToolAsync("orchestrator_reconnect_test")).Result()["isError"]?.GetValue<bool>() ?? false).IsFalse();
        var limited = (await first.CallToolAsync("orchestrator_reconnect_test")).Result().Error();
        await Assert.That(limited["error"]!.GetValue<string>()).Contains("Rate limit");
        // A fresh session from the same client is the same client.
        using (var fresh = new McpHttpClient(server.Url))
        {
            await fresh.InitializeAsync();
            await Assert.That((await fresh.CallToolAsync("orchestrator_reconnect_test")).Result().Error()["error"]!.GetValue<string>()).Contains("Rate limit");
        }
        await Assert.That((await elsewhere.CallToolAsync("orchestrator_reconnect_test")).Result()["isError"]?.GetValue<bool>() ?? false).IsFalse();

        // One restart a minute per client, however many sessions it opens (the bypass: a fresh initialize before each).
        var restart = (await first.CallToolAsync("orchestrator_restart_server", new JsonObject { ["reason"] = "manual_request" })).Result().Structured();
        await Assert.That(restart["success"]!.GetValue<bool>()).IsTrue();
        for (var i = 0; i < 3; i++)
        {
            using var fresh = new McpHttpClient(server.Url);
            await fresh.InitializeAsync();
            var again = (await fresh.CallToolAsync("orchestrator_restart_server", new JsonObject { ["reason"] = "manual_request" })).Result().Error();
            await Assert.That(again["error"]!.GetValue<string>()).Contains("Rate limit");
            await Assert.That(again["retry_after"]!.GetValue<int>()).IsGreaterThan(0);
        }
        // The window crossed the restart: the first client is still limited, the other one still is not.
        await Assert.That((await first.CallToolAsync("orchestrator_reconnect_test")).Result().Error()["error"]!.GetValue<string>()).Contains("Rate limit");
        var other = (await elsewhere.CallToolAsync("orchestrator_restart_server", new JsonObject { ["reason"] = "manual_request" })).Result().Structured();
        await Assert.That(other["success"]!.GetValue<bool>()).IsTrue();
    }

    [Test]
    public async Task With_a_token_every_holder_of_it_is_one_client_for_rate_limits()
    {
        const string Token = "shared-token";
        using var data = new TempDirectory();
        await using var server = await HttpServerProcess.StartCommandAsync(PublishedBinary.Path,
            ["--http", "127.0.0.1:0", "--data-dir", data.Path, "--auth-token", Token], new Dictionary<string, string> { ["ORCHESTRATOR_RATE_LIMITS"] = "on" });
        using var first = new McpHttpClient(server.Url, token: Token);
        using var elsewhere = new McpHttpClient(server.Url, token: Token, localAddress: IPAddress.Parse("127.0.0.3"));
        await first.InitializeAsync();
        await elsewhere.InitializeAsync();

        var restart = (await first.CallToolAsync("orchestrator_restart_server", new JsonObject { ["reason"] = "manual_request" })).Result().Structured();
        await Assert.That(restart["success"]!.GetValue<bool>()).IsTrue();
        var refused = (await elsewhere.CallToolAsync("orchestrator_restart_server", new JsonObject { ["reason"] = "manual_request" })).Result().Error();
        await Assert.That(refused["error"]!.GetValue<string>()).Contains("Rate limit");
    }

    [Test]
    public async Task Without_the_bearer_token_a_request_gets_401_and_changes_nothing()
    {
        using var data = new TempDirectory();
        using var project = new TempDirectory();
        await using var server = await HttpServerProcess.StartAsync(data.Path, "--auth-token", "s3cret-token");

        using var anonymous = new HttpClient();
        var initialize = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"x","version":"1"}}}""";
        foreach (var authorization in new string?[] { null, "Bearer wrong-token", "Basic czNjcmV0LXRva2Vu", "Bearer " })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, server.Url) { Content = new StringContent(initialize, Encoding.UTF8, "application/json") };
            request.Headers.Accept.ParseAdd("application/json, text/event-stream");
            if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
            using var response = await anonymous.SendAsync(request);
            await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.Unauthorized);
            await Assert.That(response.Headers.WwwAuthenticate.ToString()).StartsWith("Bearer");
            await Assert.That(await response.Content.ReadAsStringAsync()).IsEqualTo("");
            await Assert.That(response.Headers.Contains("Mcp-Session-Id")).IsFalse();
        }

        // A write without the token is refused before it reaches the store.
        using var intruder = new McpHttpClient(server.Url, McpHttpClient.StatelessProtocol, token: "wrong-token");
        var (status, answer) = await intruder.PostAsync("tools/call", new JsonObject
        {
            ["name"] = "orchestrator_initialize_session",
            ["arguments"] = new JsonObject { ["working_directory"] = project.Path },
        }, "orchestrator_initialize_session");
        await Assert.That(status).IsEqualTo(HttpStatusCode.Unauthorized);
        await Assert.That(answer).IsNull();

        using var client = new McpHttpClient(server.Url, token: "s3cret-token");
        await client.InitializeAsync();
        var tasks = (await client.CallToolAsync("orchestrator_query_tasks")).Result().Structured();
        await Assert.That(tasks["tasks"]!.AsArray().Count).IsEqualTo(0);
        var health = (await client.CallToolAsync("orchestrator_health_check")).Result().Structured();
        await Assert.That(health["healthy"]!.GetValue<bool>()).IsTrue();
    }

    [Test]
    public async Task A_foreign_origin_or_a_rebound_host_name_is_refused()
    {
        using var data = new TempDirectory();
        await using var server = await HttpServerProcess.StartAsync(data.Path, "--allowed-origins", "https://app.example");

        async Task<HttpStatusCode> Post(string? origin, string? host)
        {
            // Raw request so that the Host header is exactly what a rebinding attack would send.
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(server.Url.Host, server.Url.Port);
            var body = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"x","version":"1"}}}""";
            var head = $"POST /mcp HTTP/1.1\r\nHost: {host ?? server.Url.Authority}\r\nContent-Type: application/json\r\n" +
                       "Accept: application/json, text/event-stream\r\n" + (origin is null ? "" : $"Origin: {origin}\r\n") +
                       $"Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n";
            await socket.SendAsync(Encoding.UTF8.GetBytes(head + body));
            var buffer = new byte[256];
            var read = await socket.ReceiveAsync(buffer);
            var statusLine = Encoding.ASCII.GetString(buffer, 0, read).Split("\r\n")[0];
            return (HttpStatusCode)int.Parse(statusLine.Split(' ')[1]);
        }

        await Assert.That(await Post(origin: "http://evil.example", host: null)).IsEqualTo(HttpStatusCode.Forbidden);
        await Assert.That(await Post(origin: null, host: $"evil.example:{server.Url.Port}")).IsEqualTo(HttpStatusCode.Forbidden);
        await Assert.That(await Post(origin: "http://localhost:5173", host: null)).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(await Post(origin: "https://app.example", host: null)).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(await Post(origin: null, host: $"localhost:{server.Url.Port}")).IsEqualTo(HttpStatusCode.OK);
    }

    [Test]
    public async Task A_second_server_cannot_take_a_port_in_use()
    {
        using var data = new TempDirectory();
        using var other = new TempDirectory();
        await using var server = await HttpServerProcess.StartAsync(data.Path);
        var (exit, _, err) = await ProcessRun.RunAsync(PublishedBinary.Path, ["--http", $"127.0.0.1:{server.Url.Port}", "--data-dir", other.Path]);
        await Assert.That(exit).IsEqualTo(1);
        await Assert.That(err).Contains("cannot listen");
        using var client = new McpHttpClient(server.Url);
        await client.InitializeAsync();
        await Assert.That(client.SessionId).IsNotNull();
    }

    [Test]
    public async Task Binding_beyond_loopback_needs_an_explicit_flag()
    {
        using var data = new TempDirectory();
        var (exit, _, err) = await ProcessRun.RunAsync(PublishedBinary.Path, ["--http", "0.0.0.0:0", "--data-dir", data.Path]);
        await Assert.That(exit).IsEqualTo(2);
        await Assert.That(err).Contains("--http-allow-remote");

        var (badExit, _, badErr) = await ProcessRun.RunAsync(PublishedBinary.Path, ["--http", "not-a-port", "--data-dir", data.Path]);
        await Assert.That(badExit).IsEqualTo(2);
        await Assert.That(badErr).Contains("[ADDR:]PORT");
    }
}
