using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Orchestrator.Tests.Http;

/// <summary>
/// A minimal Streamable HTTP client on one keep-alive connection (never more: <c>MaxConnectionsPerServer = 1</c>),
/// that counts the TCP connections it had to open, so a test can prove a connection survived a restart.
/// Speaks 2025-11-25 (initialize, <c>Mcp-Session-Id</c>) or 2026-07-28 (stateless, per-request metadata).
/// </summary>
internal sealed class McpHttpClient : IDisposable
{
    public const string SessionProtocol = "2025-11-25";
    public const string StatelessProtocol = "2026-07-28";

    private readonly HttpClient _http;
    private readonly Uri _url;
    private readonly string _protocol;
    private long _nextId;
    private int _connectionsOpened;
    private readonly string _clientName;

    /// <param name="localAddress">The client's own address (any 127.x.y.z reaches a loopback server): another client, to the server.</param>
    public McpHttpClient(Uri url, string protocol = SessionProtocol, string? token = null, IPAddress? localAddress = null, string clientName = "http-e2e-client")
    {
        _clientName = clientName;
        _url = url;
        _protocol = protocol;
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 1,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
            ConnectCallback = async (context, cancellationToken) =>
            {
                Interlocked.Increment(ref _connectionsOpened);
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                if (localAddress is not null) socket.Bind(new IPEndPoint(localAddress, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        _http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null) _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public string? SessionId { get; private set; }
    public int ConnectionsOpened => Volatile.Read(ref _connectionsOpened);

    /// <summary>Opens the session (initialize, then notifications/initialized); the initialize result.</summary>
    public async Task<JsonObject> InitializeAsync()
    {
        var (_, answer) = await PostAsync("initialize", new JsonObject
        {
            ["protocolVersion"] = _protocol,
            ["capabilities"] = new JsonObject(),
            ["clientInfo"] = new JsonObject { ["name"] = _clientName, ["version"] = "1.0" },
        });
        if (answer?["result"] is null) throw new InvalidOperationException($"initialize failed: {answer?.ToJsonString()}");
        using var initialized = Request(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = "notifications/initialized" }, "notifications/initialized", null);
        using var response = await _http.SendAsync(initialized);
        if (response.StatusCode != HttpStatusCode.Accepted) throw new InvalidOperationException($"notifications/initialized: {(int)response.StatusCode}");
        return answer["result"]!.AsObject();
    }

    /// <summary>Calls a tool; returns the JSON-RPC answer (result or error) and the HTTP status.</summary>
    public async Task<JsonObject> CallToolAsync(string name, JsonObject? arguments = null)
    {
        var (status, answer) = await PostAsync("tools/call", new JsonObject { ["name"] = name, ["arguments"] = arguments ?? new JsonObject() }, name);
        return answer ?? throw new InvalidOperationException($"tools/call {name}: HTTP {(int)status} without a JSON-RPC answer");
    }

    public async Task<(HttpStatusCode Status, JsonObject? Answer)> PostAsync(string method, JsonObject parameters, string? name = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        if (_protocol == StatelessProtocol)
            parameters["_meta"] = new JsonObject
            {
                ["io.modelcontextprotocol/protocolVersion"] = _protocol,
                ["io.modelcontextprotocol/clientCapabilities"] = new JsonObject(),
            };
        var message = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters };
        using var request = Request(message, method, name);
        using var response = await _http.SendAsync(request);
        if (response.Headers.TryGetValues("Mcp-Session-Id", out var ids)) SessionId ??= ids.First();
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, FindAnswer(body, response.Content.Headers.ContentType?.MediaType, id));
    }

    public HttpRequestMessage Request(JsonObject message, string method, string? name)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, _url)
        {
            Content = new StringContent(message.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (method != "initialize") request.Headers.Add("MCP-Protocol-Version", _protocol);
        if (SessionId is not null) request.Headers.Add("Mcp-Session-Id", SessionId);
        if (_protocol == StatelessProtocol)
        {
            request.Headers.Add("Mcp-Method", method);
            if (name is not null) request.Headers.Add("Mcp-Name", name);
        }
        return request;
    }

    /// <summary>The answer with <paramref name="id"/> in a JSON body or among the events of an event stream (priming events, with empty data, skipped).</summary>
    private static JsonObject? FindAnswer(string body, string? mediaType, long id)
    {
        IEnumerable<string> messages = mediaType == "text/event-stream"
            ? body.Split('\n').Where(line => line.StartsWith("data:", StringComparison.Ordinal)).Select(line => line["data:".Length..].Trim())
                .Where(data => data.Length > 0)
            : body.Length > 0 ? [body] : [];
        foreach (var text in messages)
            if (JsonNode.Parse(text) is JsonObject message && message["id"]?.GetValue<long>() == id) return message;
        return null;
    }

    public void Dispose() => _http.Dispose();
}
