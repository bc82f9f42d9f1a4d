using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Orchestrator.Tests.Http;

/// <summary>
/// One keep-alive HTTP/1.1 connection driven byte by byte, for what an HTTP client library hides: the request head and
/// body sent as separate TCP segments (as many clients write them), a head sent a few bytes at a time, a connection
/// that stays idle, a local address of its own (any 127.x.y.z reaches the loopback server).
/// </summary>
internal sealed class RawHttpConnection : IDisposable
{
    private readonly Socket _socket;
    private readonly Uri _url;
    private readonly List<byte> _received = [];
    private long _nextId;

    private RawHttpConnection(Socket socket, Uri url)
    {
        _socket = socket;
        _url = url;
    }

    public Socket Socket => _socket;
    public string? SessionId { get; set; }
    public string? Token { get; init; }

    public static async Task<RawHttpConnection> OpenAsync(Uri url, IPAddress? localAddress = null, string? token = null)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (localAddress is not null) socket.Bind(new IPEndPoint(localAddress, 0));
        await socket.ConnectAsync(url.Host, url.Port);
        return new RawHttpConnection(socket, url) { Token = token };
    }

    /// <summary>Initializes a 2025-11-25 session on this connection and keeps its id.</summary>
    public async Task<string> InitializeAsync(string clientName = "raw-http-client")
    {
        var (status, headers, answer) = await PostAsync("initialize", new JsonObject
        {
            ["protocolVersion"] = McpHttpClient.SessionProtocol,
            ["capabilities"] = new JsonObject(),
            ["clientInfo"] = new JsonObject { ["name"] = clientName, ["version"] = "1.0" },
        });
        if (status != 200 || answer?["result"] is null) throw new InvalidOperationException($"initialize: HTTP {status} {answer?.ToJsonString()}");
        SessionId = headers.TryGetValue("mcp-session-id", out var id) ? id : throw new InvalidOperationException("no Mcp-Session-Id");
        var (accepted, _, _) = await SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = "notifications/initialized" });
        if (accepted != 202) throw new InvalidOperationException($"notifications/initialized: HTTP {accepted}");
        return SessionId;
    }

    public async Task<JsonObject> CallToolAsync(string name, JsonObject? arguments = null)
    {
        var (status, _, answer) = await PostAsync("tools/call", new JsonObject { ["name"] = name, ["arguments"] = arguments ?? new JsonObject() });
        return answer ?? throw new InvalidOperationException($"tools/call {name}: HTTP {status} without an answer");
    }

    public async Task<(int Status, Dictionary<string, string> Headers, JsonObject? Answer)> PostAsync(string method, JsonObject parameters)
    {
        var id = Interlocked.Increment(ref _nextId);
        return await SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters }, id);
    }

    /// <summary>Sends one POST, its head and its body as two separate writes, and reads the whole response.</summary>
    public async Task<(int Status, Dictionary<string, string> Headers, JsonObject? Answer)> SendAsync(JsonObject message, long? id = null)
    {
        var body = Encoding.UTF8.GetBytes(message.ToJsonString());
        await _socket.SendAsync(Encoding.ASCII.GetBytes(Head(body.Length)));
        await _socket.SendAsync(body);
        var (status, headers, content) = await ReadResponseAsync();
        return (status, headers, id is { } wanted ? FindAnswer(content, wanted) : null);
    }

    /// <summary>The head of a POST to the endpoint, with this connection's session and token.</summary>
    public string Head(int contentLength, string? extraHeaders = null) =>
        $"POST {_url.AbsolutePath} HTTP/1.1\r\nHost: {_url.Authority}\r\nContent-Type: application/json\r\n" +
        "Accept: application/json, text/event-stream\r\n" +
        (SessionId is null ? "" : $"Mcp-Session-Id: {SessionId}\r\nMCP-Protocol-Version: {McpHttpClient.SessionProtocol}\r\n") +
        (Token is null ? "" : $"Authorization: Bearer {Token}\r\n") +
        extraHeaders +
        $"Content-Length: {contentLength}\r\n\r\n";

    public Task SendRawAsync(string text) => SendRawAsync(Encoding.ASCII.GetBytes(text));

    /// <summary>Ends this connection's session (DELETE with its id and token) and reads the whole response.</summary>
    public async Task<(int Status, Dictionary<string, string> Headers, string Body)> SendDeleteAsync()
    {
        await SendRawAsync($"DELETE {_url.AbsolutePath} HTTP/1.1\r\nHost: {_url.Authority}\r\n" +
            (SessionId is null ? "" : $"Mcp-Session-Id: {SessionId}\r\nMCP-Protocol-Version: {McpHttpClient.SessionProtocol}\r\n") +
            (Token is null ? "" : $"Authorization: Bearer {Token}\r\n") + "Content-Length: 0\r\n\r\n");
        return await ReadResponseAsync();
    }

    public async Task SendRawAsync(byte[] bytes) => await _socket.SendAsync(bytes);

    /// <summary>Reads one response: status, headers (lower-case names), and the body (content-length or chunked).</summary>
    public async Task<(int Status, Dictionary<string, string> Headers, string Body)> ReadResponseAsync()
    {
        var headEnd = await FillUntilAsync(() => IndexOf(_received, "\r\n\r\n"u8));
        var head = Encoding.ASCII.GetString(_received.GetRange(0, headEnd).ToArray());
        _received.RemoveRange(0, headEnd + 4);
        var lines = head.Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1]);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            if (colon > 0) headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
        }
        var body = new List<byte>();
        if (headers.TryGetValue("transfer-encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            while (true)
            {
                var lineEnd = await FillUntilAsync(() => IndexOf(_received, "\r\n"u8));
                var size = Convert.ToInt32(Encoding.ASCII.GetString(_received.GetRange(0, lineEnd).ToArray()).Split(';')[0], 16);
                _received.RemoveRange(0, lineEnd + 2);
                await FillUntilAsync(() => _received.Count >= size + 2 ? size : -1);
                body.AddRange(_received.GetRange(0, size));
                _received.RemoveRange(0, size + 2);
                if (size == 0) break;
            }
        }
        else if (headers.TryGetValue("content-length", out var lengthText) && int.Parse(lengthText) is var length and > 0)
        {
            await FillUntilAsync(() => _received.Count >= length ? length : -1);
            body.AddRange(_received.GetRange(0, length));
            _received.RemoveRange(0, length);
        }
        return (status, headers, Encoding.UTF8.GetString(body.ToArray()));
    }

    /// <summary>
    /// Sends a GET that resumes a response stream after <paramref name="lastEventId"/> (with this connection's session and
    /// token, and <paramref name="extraHeaders"/>), and reads the response's status and headers; its body is read with
    /// <see cref="ReadEventAsync"/> (an event stream) or <see cref="ReadBodyAsync"/>.
    /// </summary>
    public Task<(int Status, Dictionary<string, string> Headers)> ResumeAsync(string lastEventId, string? extraHeaders = null) =>
        GetStreamAsync(lastEventId, extraHeaders);

    /// <summary>
    /// Sends a GET for the session's standalone event stream (resuming after <paramref name="lastEventId"/> when given) and
    /// reads the response's status and headers. <paramref name="accept"/> replaces the usual <c>text/event-stream</c>.
    /// </summary>
    public async Task<(int Status, Dictionary<string, string> Headers)> GetStreamAsync(string? lastEventId = null, string? extraHeaders = null,
        string accept = "text/event-stream")
    {
        await SendRawAsync($"GET {_url.AbsolutePath} HTTP/1.1\r\nHost: {_url.Authority}\r\nAccept: {accept}\r\n" +
            (SessionId is null ? "" : $"Mcp-Session-Id: {SessionId}\r\nMCP-Protocol-Version: {McpHttpClient.SessionProtocol}\r\n") +
            (Token is null ? "" : $"Authorization: Bearer {Token}\r\n") +
            (lastEventId is null ? "" : $"Last-Event-ID: {lastEventId}\r\n") + extraHeaders + "\r\n");
        return await ReadResponseHeadAsync();
    }

    /// <summary>Sends a tools/call and reads only its response's status and headers: the event stream is read event by event.</summary>
    public async Task<(int Status, Dictionary<string, string> Headers)> StartToolCallAsync(string name, JsonObject arguments)
    {
        var id = Interlocked.Increment(ref _nextId);
        var body = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = "tools/call", ["params"] = new JsonObject { ["name"] = name, ["arguments"] = arguments },
        }.ToJsonString());
        await _socket.SendAsync(Encoding.ASCII.GetBytes(Head(body.Length)));
        await _socket.SendAsync(body);
        return await ReadResponseHeadAsync();
    }

    /// <summary>The JSON-RPC id of the last request this connection sent.</summary>
    public long LastRequestId => Interlocked.Read(ref _nextId);

    private readonly List<byte> _body = [];
    private bool _chunked;
    private int _contentLength;
    private bool _bodyEnded;

    /// <summary>Reads a response's status line and headers only.</summary>
    public async Task<(int Status, Dictionary<string, string> Headers)> ReadResponseHeadAsync()
    {
        var headEnd = await FillUntilAsync(() => IndexOf(_received, "\r\n\r\n"u8));
        var lines = Encoding.ASCII.GetString(_received.GetRange(0, headEnd).ToArray()).Split("\r\n");
        _received.RemoveRange(0, headEnd + 4);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            if (colon > 0) headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
        }
        _body.Clear();
        _bodyEnded = false;
        _chunked = headers.TryGetValue("transfer-encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase);
        _contentLength = headers.TryGetValue("content-length", out var length) ? int.Parse(length) : 0;
        return (int.Parse(lines[0].Split(' ')[1]), headers);
    }

    /// <summary>The next event of the event stream whose head <see cref="ReadResponseHeadAsync"/> read; null once the body ended.</summary>
    public async Task<ServerSentEvent?> ReadEventAsync()
    {
        while (true)
        {
            var end = IndexOf(_body, "\n\n"u8);
            if (end >= 0)
            {
                var text = Encoding.UTF8.GetString(_body.GetRange(0, end).ToArray());
                _body.RemoveRange(0, end + 2);
                return ServerSentEvent.Parse(text);
            }
            if (_bodyEnded) return null;
            await ReadMoreBodyAsync();
        }
    }

    /// <summary>The rest of the body of the response whose head <see cref="ReadResponseHeadAsync"/> read.</summary>
    public async Task<string> ReadBodyAsync()
    {
        while (!_bodyEnded) await ReadMoreBodyAsync();
        var text = Encoding.UTF8.GetString(_body.ToArray());
        _body.Clear();
        return text;
    }

    private async Task ReadMoreBodyAsync()
    {
        if (!_chunked)
        {
            await FillUntilAsync(() => _received.Count >= _contentLength ? _contentLength : -1);
            _body.AddRange(_received.GetRange(0, _contentLength));
            _received.RemoveRange(0, _contentLength);
            _bodyEnded = true;
            return;
        }
        var lineEnd = await FillUntilAsync(() => IndexOf(_received, "\r\n"u8));
        var size = Convert.ToInt32(Encoding.ASCII.GetString(_received.GetRange(0, lineEnd).ToArray()).Split(';')[0], 16);
        _received.RemoveRange(0, lineEnd + 2);
        await FillUntilAsync(() => _received.Count >= size + 2 ? size : -1);
        _body.AddRange(_received.GetRange(0, size));
        _received.RemoveRange(0, size + 2);
        if (size == 0) _bodyEnded = true;
    }

    /// <summary>Whether the server closed the connection (end of stream or reset) before sending anything more.</summary>
    public async Task<bool> ClosedByServerAsync()
    {
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var read = await _socket.ReceiveAsync(buffer);
                if (read == 0) return true;
                _received.AddRange(buffer.AsSpan(0, read).ToArray());
                if (_received.Count > 0) return false;
            }
        }
        catch (SocketException)
        {
            return true;
        }
    }

    private async Task<int> FillUntilAsync(Func<int> found)
    {
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var at = found();
            if (at >= 0) return at;
            var read = await _socket.ReceiveAsync(buffer, SocketFlags.None).WaitAsync(EndToEnd.McpStdioClient.AnswerTimeout);
            if (read == 0) throw new IOException("the server closed the connection");
            _received.AddRange(buffer.AsSpan(0, read).ToArray());
        }
    }

    private static int IndexOf(List<byte> haystack, ReadOnlySpan<byte> needle)
    {
        for (var i = 0; i + needle.Length <= haystack.Count; i++)
        {
            var match = true;
            for (var j = 0; j < needle.Length && match; j++) match = haystack[i + j] == needle[j];
            if (match) return i;
        }
        return -1;
    }

    private static JsonObject? FindAnswer(string body, long id)
    {
        foreach (var line in body.Split('\n'))
        {
            var text = line.StartsWith("data:", StringComparison.Ordinal) ? line["data:".Length..].Trim() : line.Trim();
            if (text.Length == 0 || text[0] != '{') continue;
            if (System.Text.Json.Nodes.JsonNode.Parse(text) is JsonObject message && message["id"]?.GetValue<long>() == id) return message;
        }
        return null;
    }

    public void Dispose() => _socket.Dispose();
}

/// <summary>One server-sent event as a client reads it: its id, type, data (lines joined) and retry field.</summary>
internal sealed record ServerSentEvent(string? Id, string? Event, string Data, int? Retry)
{
    public static ServerSentEvent Parse(string text)
    {
        string? id = null, type = null;
        int? retry = null;
        var data = new List<string>();
        foreach (var line in text.Split('\n'))
        {
            var colon = line.IndexOf(':');
            var (field, value) = colon < 0 ? (line, "") : (line[..colon], line[(colon + 1)..].TrimStart(' '));
            switch (field)
            {
                case "id": id = value; break;
                case "event": type = value; break;
                case "data": data.Add(value); break;
                case "retry": retry = int.Parse(value); break;
            }
        }
        return new ServerSentEvent(id, type, string.Join('\n', data), retry);
    }

    /// <summary>The JSON-RPC message the event carries, or null (a priming event carries none).</summary>
    public JsonObject? Message => Data.Length == 0 ? null : JsonNode.Parse(Data) as JsonObject;
}
