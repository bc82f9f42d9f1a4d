using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Tests.EndToEnd;
using Orchestrator.Tests.Reliability;

namespace Orchestrator.Tests.Http;

/// <summary>
/// The HTTP front that answers a session's plain calls without ASP.NET Core's host, against the published binary over raw
/// sockets. The <c>hold-http-host</c> test hook keeps each image's host from being built until the test releases it
/// through a FIFO, so what is answered meanwhile can only have been answered by the front; what the front must leave
/// alone (refusals, other methods, resumptions) is answered once the host is released, as before.
/// </summary>
public sealed class HttpFrontTests
{
    private const string Token = "front-test-token";

    [Test]
    public async Task After_an_in_place_restart_a_sessions_calls_are_answered_before_the_host_exists_and_the_rest_after_it()
    {
        await using var held = await RestartedWithHostHeld.StartAsync();
        var (server, hold, client) = (held.Server, held.Hold, held.Client);

        // The new image holds its host back: these answers come from the front.
        var health = (await client.CallToolAsync("orchestrator_health_check")).Result();
        await Assert.That(health.Structured()["healthy"]!.GetValue<bool>()).IsTrue().Because(health.ToJsonString());
        await Assert.That(health.Structured()["restart_generation"]!.GetValue<int>()).IsEqualTo(1);
        var (listed, _, tools) = await client.PostAsync("tools/list", new JsonObject());
        await Assert.That(listed).IsEqualTo(200);
        await Assert.That(tools!["result"]!["tools"]!.AsArray().Select(t => t!["name"]!.GetValue<string>())).Contains("orchestrator_health_check");
        var (_, _, resources) = await client.PostAsync("resources/list", new JsonObject());
        await Assert.That(resources!["result"]!["resources"]).IsNotNull();
        var (_, _, pong) = await client.PostAsync("ping", new JsonObject());
        await Assert.That(pong!["result"]).IsNotNull();

        // As the SDK answers: an event stream whose priming event carries an id and the retry field, then the answer.
        var (status, headers) = await client.StartToolCallAsync("orchestrator_restart_status", new JsonObject());
        await Assert.That(status).IsEqualTo(200);
        await Assert.That(headers["content-type"]).StartsWith("text/event-stream");
        await Assert.That(headers["mcp-session-id"]).IsEqualTo(client.SessionId);
        var priming = (await client.ReadEventAsync())!;
        await Assert.That(priming.Id).IsNotNull();
        await Assert.That(priming.Retry).IsEqualTo(1000);
        await Assert.That(priming.Data).IsEmpty();
        var answer = (await client.ReadEventAsync())!;
        await Assert.That(answer.Id).IsNotNull();
        await Assert.That(answer.Message!["id"]!.GetValue<long>()).IsEqualTo(client.LastRequestId);
        await Assert.That(answer.Message!["result"]!["isError"]?.GetValue<bool>() ?? false).IsFalse();
        await Assert.That(await client.ReadEventAsync()).IsNull();

        // A call whose client drops its stream after the priming event: its answer is kept, to be resumed once the host serves GETs.
        string sleepPriming;
        long sleepId;
        using (var dropper = await RawHttpConnection.OpenAsync(server.Url, token: Token))
        {
            dropper.SessionId = client.SessionId;
            var (sleeping, _) = await dropper.StartToolCallAsync("orchestrator_test_sleep", new JsonObject { ["seconds"] = 1 });
            await Assert.That(sleeping).IsEqualTo(200);
            sleepPriming = (await dropper.ReadEventAsync())!.Id!;
            sleepId = dropper.LastRequestId;
        }

        // What the front leaves to the host, sent while the host is held: answered once it is released, as before.
        using var resumer = await RawHttpConnection.OpenAsync(server.Url, token: Token);
        resumer.SessionId = client.SessionId;
        var resumed = resumer.ResumeAsync(sleepPriming);
        using var anonymous = await RawHttpConnection.OpenAsync(server.Url);
        anonymous.SessionId = client.SessionId;
        var unauthorized = SendPingAsync(anonymous);
        using var foreign = await RawHttpConnection.OpenAsync(server.Url, token: Token);
        foreign.SessionId = client.SessionId;
        var forbidden = SendPingAsync(foreign, "Origin: http://evil.example\r\n");
        using var stranger = await RawHttpConnection.OpenAsync(server.Url, token: Token);
        stranger.SessionId = "no-such-session";
        var unknown = SendPingAsync(stranger);
        // On the connection the front served: a method it does not serve, then one it does, both after the host starts.
        var notForTheFront = client.PostAsync("logging/setLevel", new JsonObject { ["level"] = "info" });

        await hold.ResumeAsync();
        await server.WaitForServingAsync(2);

        var (resumedStatus, _) = await resumed;
        await Assert.That(resumedStatus).IsEqualTo(200);
        var missed = (await resumer.ReadEventAsync())!;
        await Assert.That(missed.Message!["id"]!.GetValue<long>()).IsEqualTo(sleepId);
        await Assert.That(missed.Message!["result"]).IsNotNull();
        await Assert.That((await unauthorized).Status).IsEqualTo(401);
        await Assert.That((await forbidden).Status).IsEqualTo(403);
        await Assert.That((await unknown).Status).IsEqualTo(404);
        var (setLevelStatus, _, setLevel) = await notForTheFront;
        await Assert.That(setLevelStatus).IsEqualTo(200);
        await Assert.That(setLevel!["id"]!.GetValue<long>()).IsEqualTo(client.LastRequestId);
        var after = (await client.CallToolAsync("orchestrator_health_check")).Result();
        await Assert.That(after.Structured()["healthy"]!.GetValue<bool>()).IsTrue();
        await Assert.That(server.HasExited).IsFalse();
    }

    [Test]
    public async Task A_restart_called_before_the_host_exists_is_answered_by_the_next_image_at_the_end_of_the_fronts_stream()
    {
        await using var held = await RestartedWithHostHeld.StartAsync();
        var (server, hold, client) = (held.Server, held.Hold, held.Client);

        // Image 2 holds its host; the front takes the restart call, begins its stream, and image 3 ends it with the answer.
        var (status, headers) = await client.StartToolCallAsync("orchestrator_restart_server", new JsonObject { ["reason"] = "manual_request" });
        await Assert.That(status).IsEqualTo(200);
        await Assert.That(headers["content-type"]).StartsWith("text/event-stream");
        var priming = (await client.ReadEventAsync())!;
        await Assert.That(priming.Id).IsNotNull();
        var answer = (await client.ReadEventAsync())!;
        await Assert.That(answer.Id).IsNotNull();
        var result = answer.Message!.Result();
        await Assert.That(result["isError"]?.GetValue<bool>() ?? false).IsFalse().Because(result.ToJsonString());
        await Assert.That(result.Structured()["success"]!.GetValue<bool>()).IsTrue();
        await Assert.That(result.Structured()["pid"]!.GetValue<int>()).IsEqualTo(server.Pid);
        await Assert.That(await client.ReadEventAsync()).IsNull();

        // Image 3 holds its host too: its front serves the next call on the same connection.
        var health = (await client.CallToolAsync("orchestrator_health_check")).Result();
        await Assert.That(health.Structured()["healthy"]!.GetValue<bool>()).IsTrue();
        await Assert.That(health.Structured()["restart_generation"]!.GetValue<int>()).IsEqualTo(2);

        await hold.ResumeAsync();
        await server.WaitForServingAsync(2);
        await Assert.That((await client.CallToolAsync("orchestrator_health_check")).Result().Structured()["healthy"]!.GetValue<bool>()).IsTrue();
    }

    [Test]
    public async Task At_shutdown_a_call_the_front_is_serving_is_answered_before_the_server_exits()
    {
        await using var held = await RestartedWithHostHeld.StartAsync();
        var (server, hold, client) = (held.Server, held.Hold, held.Client);

        // The front serves the call (the host is held); SIGTERM comes while it sleeps; the host is let go so the server can stop.
        var (status, _) = await client.StartToolCallAsync("orchestrator_test_sleep", new JsonObject { ["seconds"] = 1 });
        await Assert.That(status).IsEqualTo(200);
        await Assert.That((await client.ReadEventAsync())!.Id).IsNotNull();
        ProcessSignals.Send(server.Pid, ProcessSignals.SIGTERM);
        await hold.ResumeAsync();

        var answer = (await client.ReadEventAsync())!;
        await Assert.That(answer.Message!["id"]!.GetValue<long>()).IsEqualTo(client.LastRequestId);
        await Assert.That(answer.Message!["result"]!["isError"]?.GetValue<bool>() ?? false).IsFalse();
        await StoreFiles.AssertEndedCleanlyAsync(await server.WaitForExitAsync(), held.DataDirectory, server.Stderr);
    }

    /// <summary>
    /// The server started with the <c>hold-http-host</c> hook (its first image's host released), a client's session on
    /// a raw connection, and one in-place restart made: the image serving now holds its host until <see cref="Hold"/> resumes it.
    /// </summary>
    private sealed class RestartedWithHostHeld : IAsyncDisposable
    {
        private readonly TempDirectory _data = new();

        private RestartedWithHostHeld() { }

        public PausedRestart Hold { get; } = new();
        public HttpServerProcess Server { get; private set; } = null!;
        public RawHttpConnection Client { get; private set; } = null!;
        public string DataDirectory => _data.Path;

        public static async Task<RestartedWithHostHeld> StartAsync()
        {
            var held = new RestartedWithHostHeld();
            try
            {
                await held.StartServerAndRestartAsync();
                return held;
            }
            catch
            {
                await held.DisposeAsync();
                throw;
            }
        }

        private async Task StartServerAndRestartAsync()
        {
            var environment = Hold.Environment();
            environment["ORCHESTRATOR_TEST_HOOKS"] = "hold-http-host,slow-tool";
            var starting = HttpServerProcess.StartBinaryAsync(PublishedBinary.Path, _data.Path, environment, "--no-rate-limits", "--auth-token", Token);
            await Hold.ResumeAsync();
            Server = await starting;
            Client = await RawHttpConnection.OpenAsync(Server.Url, token: Token);
            await Client.InitializeAsync("front-client");
            var restart = (await Client.CallToolAsync("orchestrator_restart_server", new JsonObject { ["reason"] = "manual_request" })).Result();
            await Assert.That(restart["isError"]?.GetValue<bool>() ?? false).IsFalse().Because(restart.ToJsonString());
            await Assert.That(restart.Structured()["pid"]!.GetValue<int>()).IsEqualTo(Server.Pid);
        }

        public async ValueTask DisposeAsync()
        {
            Client?.Dispose();
            if (Server is not null) await Server.DisposeAsync();
            Hold.Dispose();
            _data.Dispose();
        }
    }

    private static async Task<(int Status, Dictionary<string, string> Headers, string Body)> SendPingAsync(RawHttpConnection connection, string? extraHeaders = null)
    {
        var body = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":1,"method":"ping"}""");
        await connection.SendRawAsync([.. Encoding.ASCII.GetBytes(connection.Head(body.Length, extraHeaders)), .. body]);
        return await connection.ReadResponseAsync();
    }
}
