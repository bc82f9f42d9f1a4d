using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Tests.EndToEnd;

namespace Orchestrator.Tests.Http;

/// <summary>
/// Resumable response streams (Streamable HTTP, 2025-11-25 sessions) against the published binary over raw sockets: a
/// POST's event stream starts with a priming event (an id, empty data, the retry field); a client that drops it after
/// that event reconnects with GET and Last-Event-ID and receives the answer it missed, also when the server restarted
/// in place meanwhile. A resumption never crosses sessions, and whatever is wrong with one gets a clear status.
/// </summary>
public sealed class SseResumptionTests
{
    private static readonly Dictionary<string, string> SlowTool = new() { ["ORCHESTRATOR_TEST_HOOKS"] = "slow-tool" };

    /// <summary>Long enough that the call still runs when the client has dropped its stream (and, below, when the restart begins).</summary>
    private const int SleepSeconds = 3;

    [Test]
    public async Task A_client_that_drops_its_stream_after_the_priming_event_resumes_it_and_gets_the_answer()
    {
        using var data = new TempDirectory();
        await using var server = await HttpServerProcess.StartBinaryAsync(PublishedBinary.Path, data.Path, SlowTool, "--no-rate-limits");
        var (session, primingId, requestId) = await StartSleepAndDropAsync(server.Url);

        using var resumed = await RawHttpConnection.OpenAsync(server.Url);
        resumed.SessionId = session;
        var (status, headers) = await resumed.ResumeAsync(primingId);
        await Assert.That(status).IsEqualTo(200);
        await Assert.That(headers["content-type"]).StartsWith("text/event-stream");
        await AssertAnswerThenEndAsync(resumed, requestId);
    }

    [Test]
    public async Task A_stream_dropped_before_an_in_place_restart_is_resumed_from_the_new_image()
    {
        using var data = new TempDirectory();
        await using var server = await HttpServerProcess.StartBinaryAsync(PublishedBinary.Path, data.Path, SlowTool, "--no-rate-limits");
        var (session, primingId, requestId) = await StartSleepAndDropAsync(server.Url);

        // Another client restarts the server while the dropped call still sleeps: the graceful restart waits for that call's
        // answer (its connection is gone, the call is not), and the new image holds it.
        using var restarter = await RawHttpConnection.OpenAsync(server.Url);
        await restarter.InitializeAsync("restarter");
        var restart = (await restarter.CallToolAsync("orchestrator_restart_server",
            new JsonObject { ["reason"] = "manual_request", ["timeout"] = 30 })).Result();
        await Assert.That(restart["isError"]?.GetValue<bool>() ?? false).IsFalse().Because(restart.ToJsonString());
        await Assert.That(restart.Structured()["pid"]!.GetValue<int>()).IsEqualTo(server.Pid);
        await server.WaitForServingAsync(2);

        using var resumed = await RawHttpConnection.OpenAsync(server.Url);
        resumed.SessionId = session;
        var (status, _) = await resumed.ResumeAsync(primingId);
        await Assert.That(status).IsEqualTo(200);
        await AssertAnswerThenEndAsync(resumed, requestId);
    }

    [Test]
    public async Task A_resumption_from_another_session_or_of_an_unknown_event_gets_a_clear_refusal_and_nothing_else()
    {
        const string Token = "resume-test-token";
        using var data = new TempDirectory();
        await using var server = await HttpServerProcess.StartAsync(data.Path, "--no-rate-limits", "--auth-token", Token);

        // Session A's call, answered in full: its events carry ids.
        using var owner = await RawHttpConnection.OpenAsync(server.Url, token: Token);
        await owner.InitializeAsync("owner");
        await Assert.That((await owner.StartToolCallAsync("orchestrator_health_check", new JsonObject())).Status).IsEqualTo(200);
        var priming = (await owner.ReadEventAsync())!;
        await Assert.That(priming.Id).IsNotNull();
        var answer = (await owner.ReadEventAsync())!;
        await Assert.That(answer.Message?["result"]).IsNotNull();
        await Assert.That(await owner.ReadEventAsync()).IsNull();

        // The owner may read its stream again from the priming event: the same answer, under the same id.
        var (again, _) = await owner.ResumeAsync(priming.Id!);
        await Assert.That(again).IsEqualTo(200);
        var replayed = (await owner.ReadEventAsync())!;
        await Assert.That(replayed.Id).IsEqualTo(answer.Id);
        await Assert.That(replayed.Data).IsEqualTo(answer.Data);
        await Assert.That(await owner.ReadEventAsync()).IsNull();

        // Session B presenting A's event id: 400, and not a byte of A's stream.
        using var other = await RawHttpConnection.OpenAsync(server.Url, token: Token);
        await other.InitializeAsync("other");
        await AssertRefusedAsync(other, priming.Id!, 400, answer.Data);

        // Ids this server never wrote, or not ids at all: 400.
        foreach (var unknown in new[] { "999999-1", "1-999999", "not-an-id", "0-0", "-1-1" })
            await AssertRefusedAsync(owner, unknown, 400, answer.Data);

        // The same checks as any request: no token, 401; a foreign Origin, 403; no session, 400; an unknown one, 404.
        using (var anonymous = await RawHttpConnection.OpenAsync(server.Url))
        {
            anonymous.SessionId = owner.SessionId;
            await AssertRefusedAsync(anonymous, priming.Id!, 401, answer.Data);
        }
        using (var foreign = await RawHttpConnection.OpenAsync(server.Url, token: Token))
        {
            foreign.SessionId = owner.SessionId;
            await AssertRefusedAsync(foreign, priming.Id!, 403, answer.Data, "Origin: http://evil.example\r\n");
        }
        using (var sessionless = await RawHttpConnection.OpenAsync(server.Url, token: Token))
            await AssertRefusedAsync(sessionless, priming.Id!, 400, answer.Data);
        using (var stranger = await RawHttpConnection.OpenAsync(server.Url, token: Token))
        {
            stranger.SessionId = "no-such-session";
            await AssertRefusedAsync(stranger, priming.Id!, 404, answer.Data);
        }


        // Nothing broke: the same process serves both sessions.
        await Assert.That(server.HasExited).IsFalse();
        await Assert.That((await other.CallToolAsync("orchestrator_health_check")).Result().Structured()["healthy"]!.GetValue<bool>()).IsTrue();
    }

    [Test]
    public async Task A_stateless_2026_07_28_client_gets_its_answer_without_event_ids_as_before()
    {
        using var data = new TempDirectory();
        await using var server = await HttpServerProcess.StartAsync(data.Path, "--no-rate-limits");
        using var connection = await RawHttpConnection.OpenAsync(server.Url);
        var body = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["jsonrpc"] = "2.0", ["id"] = 7, ["method"] = "tools/call",
            ["params"] = new JsonObject
            {
                ["name"] = "orchestrator_health_check", ["arguments"] = new JsonObject(),
                ["_meta"] = new JsonObject
                {
                    ["io.modelcontextprotocol/protocolVersion"] = McpHttpClient.StatelessProtocol,
                    ["io.modelcontextprotocol/clientCapabilities"] = new JsonObject(),
                },
            },
        }.ToJsonString());
        await connection.SendRawAsync(connection.Head(body.Length,
            $"MCP-Protocol-Version: {McpHttpClient.StatelessProtocol}\r\nMcp-Method: tools/call\r\nMcp-Name: orchestrator_health_check\r\n"));
        await connection.SendRawAsync(body);
        var (status, headers, text) = await connection.ReadResponseAsync();
        await Assert.That(status).IsEqualTo(200);
        await Assert.That(headers.ContainsKey("mcp-session-id")).IsFalse();
        await Assert.That(text).Contains("\"id\":7");
        var lines = text.Split('\n');
        await Assert.That(lines.Any(line => line.StartsWith("id:", StringComparison.Ordinal) || line.StartsWith("retry:", StringComparison.Ordinal)))
            .IsFalse().Because(text);
    }

    /// <summary>
    /// Opens a session, calls <c>orchestrator_test_sleep</c>, reads the stream's first event (the priming event: an id,
    /// no data, the retry field) and drops the connection while the call still sleeps.
    /// </summary>
    private static async Task<(string Session, string PrimingId, long RequestId)> StartSleepAndDropAsync(Uri url)
    {
        using var caller = await RawHttpConnection.OpenAsync(url);
        var session = await caller.InitializeAsync("dropper");
        var (status, headers) = await caller.StartToolCallAsync("orchestrator_test_sleep", new JsonObject { ["seconds"] = SleepSeconds });
        await Assert.That(status).IsEqualTo(200);
        await Assert.That(headers["content-type"]).StartsWith("text/event-stream");
        var priming = (await caller.ReadEventAsync())!;
        await Assert.That(priming.Id).IsNotNull();
        await Assert.That(priming.Data).IsEqualTo("");
        await Assert.That(priming.Retry).IsEqualTo(1000);
        return (session, priming.Id!, caller.LastRequestId);
    }

    /// <summary>The resumed stream carries the call's answer (with an id) and then ends.</summary>
    private static async Task AssertAnswerThenEndAsync(RawHttpConnection resumed, long requestId)
    {
        JsonObject? answer = null;
        while (await resumed.ReadEventAsync() is { } received)
        {
            await Assert.That(received.Id).IsNotNull();
            if (received.Message is { } message && message["id"]?.GetValue<long>() == requestId)
            {
                answer = message;
                break;
            }
        }
        await Assert.That(answer).IsNotNull();
        var slept = answer!.Result().Structured()["slept"]!.GetValue<double>();
        await Assert.That(slept).IsGreaterThanOrEqualTo(SleepSeconds);
        await Assert.That(await resumed.ReadEventAsync()).IsNull();
    }

    private static async Task AssertRefusedAsync(RawHttpConnection connection, string lastEventId, int expected, string mustNotLeak, string? extraHeaders = null)
    {
        var (status, headers) = await connection.ResumeAsync(lastEventId, extraHeaders);
        var body = await connection.ReadBodyAsync();
        await Assert.That(status).IsEqualTo(expected).Because($"Last-Event-ID {lastEventId}: {body}");
        await Assert.That(headers.TryGetValue("content-type", out var type) && type.StartsWith("text/event-stream", StringComparison.Ordinal)).IsFalse();
        await Assert.That(body.Contains(mustNotLeak, StringComparison.Ordinal)).IsFalse();
    }
}
