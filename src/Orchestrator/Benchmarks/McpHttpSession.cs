namespace Orchestrator.Benchmarks;

/// <summary>
/// One MCP client over Streamable HTTP (2025-11-25, with a session): its own keep-alive connection, initialized on
/// open. Answers are returned as the server sent them (a JSON body or an event stream). Shared by
/// <c>bench http</c> and <c>demo --http</c>.
/// </summary>
internal sealed class McpHttpSession : IDisposable
{
    private readonly RawHttpClient _http;
    private string? _sessionId;
    private long _nextId;

    private McpHttpSession(RawHttpClient http) => _http = http;

    /// <summary>The <c>Mcp-Session-Id</c> the server gave at initialize.</summary>
    public string? SessionId => _sessionId;

    public static async Task<McpHttpSession> OpenAsync(Uri url, string clientName = "bench")
    {
        var session = new McpHttpSession(await RawHttpClient.ConnectAsync(url));
        await session.SendAsync("""{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"CLIENT","version":"1"}}}"""
            .Replace("CLIENT", clientName, StringComparison.Ordinal));
        await session.SendAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}""");
        return session;
    }

    public Task<string> CallAsync(string method, string? tool, string arguments = "{}")
    {
        var id = Interlocked.Increment(ref _nextId);
        var parameters = tool is null ? "{}" : $$"""{"name":"{{tool}}","arguments":{{arguments}}}""";
        return SendAsync($$"""{"jsonrpc":"2.0","id":{{id}},"method":"{{method}}","params":{{parameters}}}""");
    }

    private async Task<string> SendAsync(string body)
    {
        List<(string, string)> headers = [("MCP-Protocol-Version", "2025-11-25")];
        if (_sessionId is not null) headers.Add(("Mcp-Session-Id", _sessionId));
        var (status, sessionId, text) = await _http.PostAsync(body, headers);
        _sessionId ??= sessionId;
        if (status is < 200 or >= 300) throw new InvalidOperationException($"HTTP {status}: {text}");
        return text;
    }

    public void Dispose() => _http.Dispose();
}
