using System.Net;
using System.Text;
using Orchestrator.Http;
using Orchestrator.Orchestration.Mcp;
using Orchestrator.Reboot.Snapshot;
using Orchestrator.Tooling;

namespace Orchestrator.Tests.Unit;

/// <summary>
/// What the HTTP front serves itself and what it leaves to Kestrel: a session's plain call with everything in order is
/// served; a request not fully arrived is waited for; every way a request can be something else (another method, path
/// or version, a body framing the front does not read, a refusal to give, another revision, a call it does not serve)
/// goes to Kestrel, which answers it as it always did.
/// </summary>
public sealed class HttpFrontExamineTests
{
    private const string Session = "session-1";
    private const string Token = "front-token";
    private const string Ping = """{"jsonrpc":"2.0","id":7,"method":"ping"}""";

    private const string Params = """{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"c","version":"1"}}""";

    private static readonly HttpFront Front = new(
        new HttpOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 8080), Token = BearerToken.Fixed(Token) },
        new HttpSessionCatalog(TimeProvider.System, [new HttpSessionRecord(Session, Params, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 0)], 10,
            TimeSpan.FromHours(1)),
        new SseEventStore(TimeProvider.System), new HttpCallsInFlight(), Task.CompletedTask);

    private static readonly McpDispatch Dispatch = Bound(new ToolTable([], _ => true, new RateLimiter(false, TimeProvider.System, [])));

    private static McpDispatch Bound(ToolTable tools)
    {
        tools.Bind([]);
        return new McpDispatch(tools, new McpSurface());
    }

    /// <summary>A request as a client sends it, with the usual fields unless <paramref name="replace"/> changes or (value null) drops one.</summary>
    private static byte[] Request(string body = Ping, string requestLine = "POST /mcp HTTP/1.1", params (string Name, string? Value)[] replace)
    {
        var fields = new List<(string Name, string? Value)>
        {
            ("Host", "127.0.0.1:8080"), ("Content-Type", "application/json"), ("Accept", "application/json, text/event-stream"),
            ("Mcp-Session-Id", Session), ("MCP-Protocol-Version", "2025-11-25"), ("Authorization", "Bearer " + Token),
            ("Content-Length", Encoding.UTF8.GetByteCount(body).ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        foreach (var (name, value) in replace)
        {
            fields.RemoveAll(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
            if (value is not null) fields.Add((name, value));
        }
        var head = requestLine + "\r\n" + string.Concat(fields.Select(f => $"{f.Name}: {f.Value}\r\n")) + "\r\n";
        return [.. Encoding.ASCII.GetBytes(head), .. Encoding.UTF8.GetBytes(body)];
    }

    private static FrontVerdict Examine(byte[] bytes, out FrontRequest? request) => Front.Examine(bytes, Dispatch, out request);

    [Test]
    public async Task A_sessions_plain_call_is_served_and_only_its_own_bytes_are_taken()
    {
        var call = Request();
        byte[] withNext = [.. call, .. "POST /mcp HTTP/1.1\r\nHost: 127"u8];
        await Assert.That(Examine(withNext, out var request)).IsEqualTo(FrontVerdict.Serve);
        await Assert.That(request!.Length).IsEqualTo(call.Length);
        await Assert.That(request.SessionId).IsEqualTo(Session);
        await Assert.That(request.Frame.Method).IsEqualTo("ping");
        // No protocol header at all, or another session-era revision (the session's own holds): served too.
        await Assert.That(Examine(Request(replace: ("MCP-Protocol-Version", null)), out _)).IsEqualTo(FrontVerdict.Serve);
        await Assert.That(Examine(Request(replace: ("MCP-Protocol-Version", "2025-03-26")), out _)).IsEqualTo(FrontVerdict.Serve);
        await Assert.That(Examine(Request("""{"jsonrpc":"2.0","id":"a","method":"tools/list"}"""), out _)).IsEqualTo(FrontVerdict.Serve);
    }

    [Test]
    public async Task A_request_not_fully_arrived_is_waited_for()
    {
        var call = Request();
        foreach (var cut in new[] { 1, 20, call.Length - Ping.Length, call.Length - 1 })
        {
            await Assert.That(Examine(call[..cut], out var request)).IsEqualTo(FrontVerdict.NeedMore);
            await Assert.That(request).IsNull();
        }
    }

    [Test]
    [Arguments("GET /mcp HTTP/1.1", null, null, Ping)]
    [Arguments("POST /other HTTP/1.1", null, null, Ping)]
    [Arguments("POST /mcp HTTP/1.0", null, null, Ping)]
    [Arguments(null, "Transfer-Encoding", "chunked", Ping)]
    [Arguments(null, "Expect", "100-continue", Ping)]
    [Arguments(null, "Connection", "close", Ping)]
    [Arguments(null, "Last-Event-ID", "1-1", Ping)]
    [Arguments(null, "Content-Length", null, Ping)]
    [Arguments(null, "Content-Length", "999999", Ping)]
    [Arguments(null, "Content-Type", "text/plain", Ping)]
    [Arguments(null, "Accept", "application/json", Ping)]
    [Arguments(null, "Authorization", null, Ping)]
    [Arguments(null, "Authorization", "Bearer wrong", Ping)]
    [Arguments(null, "Origin", "http://evil.example", Ping)]
    [Arguments(null, "Host", "evil.example:8080", Ping)]
    [Arguments(null, "Mcp-Session-Id", null, Ping)]
    [Arguments(null, "Mcp-Session-Id", "no-such-session", Ping)]
    [Arguments(null, "MCP-Protocol-Version", "2026-07-28", Ping)]
    [Arguments(null, null, null, "not json")]
    [Arguments(null, null, null, """{"jsonrpc":"2.0","method":"notifications/initialized"}""")]
    [Arguments(null, null, null, """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}""")]
    [Arguments(null, null, null, """{"jsonrpc":"2.0","id":1,"method":"resources/subscribe","params":{"uri":"orchestrator://tasks"}}""")]
    [Arguments(null, null, null, """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"no_such_tool"}}""")]
    [Arguments(null, null, null, """{"jsonrpc":"2.0","id":1,"method":"ping","params":{"_meta":{"progressToken":"p"}}}""")]
    [Arguments(null, null, null, """[{"jsonrpc":"2.0","id":1,"method":"ping"}]""")]
    public async Task Anything_else_is_left_to_Kestrel(string? requestLine, string? field, string? value, string body)
    {
        var bytes = field is null
            ? Request(body, requestLine ?? "POST /mcp HTTP/1.1")
            : Request(body, requestLine ?? "POST /mcp HTTP/1.1", (field, value));
        await Assert.That(Examine(bytes, out var request)).IsEqualTo(FrontVerdict.NotForTheFront);
        await Assert.That(request).IsNull();
    }
}
