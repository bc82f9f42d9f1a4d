namespace Orchestrator.Http;

/// <summary>
/// Who is calling, for the duration of one HTTP request: its connection (so a restart call knows which socket
/// its answer must go to), its MCP session if any, and the key its rate limits are counted under.
/// Flows to the tool handlers through the request's execution context.
/// </summary>
internal sealed record HttpCaller(HandoverConnection? Connection, string? SessionId, string ClientKey, Microsoft.AspNetCore.Http.HttpResponse? Response = null)
{
    private static readonly AsyncLocal<HttpCaller?> s_current = new();

    public static HttpCaller? Current
    {
        get => s_current.Value;
        set => s_current.Value = value;
    }
}
