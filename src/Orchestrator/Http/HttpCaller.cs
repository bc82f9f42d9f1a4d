using Orchestrator.Tooling;

namespace Orchestrator.Http;

/// <summary>
/// Who is calling, for the duration of one HTTP request: its connection (so a restart call knows which socket its
/// answer must go to, and whether its event stream has begun), its MCP session if any, and the keys its rate limits are
/// counted under. Set by the <see cref="HttpRequestGate"/>; flows to the tools through the request's execution context.
/// </summary>
/// <param name="StreamOpened">The call's event stream has begun without an SDK response (the <see cref="HttpFront"/>'s calls).</param>
internal sealed record HttpCaller(HandoverConnection? Connection, string? SessionId, IReadOnlyList<string> RateLimitKeys,
    Microsoft.AspNetCore.Http.HttpResponse? Response = null, HttpSessionCatalog? Sessions = null, bool StreamOpened = false)
    : IToolCaller
{
    /// <summary>Whether the call's answer is to end an event stream already begun (its head sent), rather than be a whole response.</summary>
    public bool AnswerEndsAStream => StreamOpened || Response?.HasStarted == true;

    /// <summary>The name the session's client gave in its <c>initialize</c>, read only when a tool asks for it.</summary>
    public string? ClientName => SessionId is { } id ? Sessions?.ClientName(id) : null;

    private static readonly AsyncLocal<HttpCaller?> s_current = new();

    /// <summary>A call that reached a tool without passing the gate (none should): counted apart from every real client.</summary>
    private static readonly HttpCaller Unknown = new(null, null, ["http:unknown"]);

    public static HttpCaller? Current
    {
        get => s_current.Value;
        set => s_current.Value = value;
    }

    /// <summary>
    /// Rate limits count per client: the token holder (there is one token), else the remote address; and per session
    /// too when there is one. A client that opens a fresh session (a fresh <c>initialize</c>) is still the same client.
    /// </summary>
    public static string[] RateLimitKeysFor(bool tokenHolder, System.Net.IPAddress? remote, string sessionId)
    {
        var client = tokenHolder ? "token" : "addr:" + (remote?.ToString() ?? "unknown");
        return sessionId.Length > 0 ? ["session:" + sessionId, client] : [client];
    }

    /// <summary>The caller of the request this code runs for.</summary>
    public static IToolCaller CurrentOrUnknown() => s_current.Value ?? Unknown;
}
