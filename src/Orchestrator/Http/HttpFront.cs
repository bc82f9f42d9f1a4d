using System.Globalization;
using System.Text;
using Orchestrator.Orchestration.Mcp;

namespace Orchestrator.Http;

/// <summary>
/// Answers a session's plain calls on a connection before Kestrel ever sees it: <c>ping</c>, <c>tools/list</c>,
/// <c>tools/call</c> of this server's tools (the restart included), resources, prompts and completions, from the
/// <see cref="McpDispatch"/> stdio's fast path serves from, the way the SDK's endpoint would answer them: an event stream
/// holding a priming event and the answer, both kept in the <see cref="SseEventStore"/>, so a client that loses the
/// connection resumes with <c>Last-Event-ID</c> as from any other stream. After an in-place restart the new image's
/// ASP.NET Core host takes 15–20 ms to build and start, and the SDK's first call in an image pays for its cold paths:
/// the connections the image was handed are served here from the moment the store is open, host or no host.
/// </summary>
/// <remarks>
/// Only what is plainly a session's call is served: <c>POST /mcp</c> over HTTP/1.1 with a <c>Content-Length</c>, the
/// token, a local Origin/Host (<see cref="OriginPolicy"/>), a known <c>Mcp-Session-Id</c>, an Accept of both media types
/// and a JSON request the dispatch serves, without a progress token. The first request that is anything else
/// (initialize, a notification, GET or DELETE, a stateless client, a refusal to give, anything unusual in the HTTP) goes
/// to Kestrel as it came, and so does the connection from then on: Kestrel is handed the connection only then
/// (<see cref="HandoverConnection"/>), so a connection the front serves is never idle in Kestrel's eyes.
/// </remarks>
/// <param name="storeReady">Completes once the store is open and the tools bound (requests wait for it, as at the gate).</param>
internal sealed class HttpFront(HttpOptions options, HttpSessionCatalog sessions, SseEventStore eventStreams, HttpCallsInFlight calls, Task storeReady)
{
    /// <summary>Bodies longer than this are left to Kestrel (the front is for small, hot calls).</summary>
    public const int MaxBodyBytes = 256 * 1024;

    /// <summary>The SSE type the SDK gives a priming event (kept as such, so a replay writes it the same way).</summary>
    public const string PrimingEventType = "prime";

    private readonly TaskCompletionSource<McpDispatch?> _dispatch = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ManualResetEventSlim _hostNeeded = new(false);
    private volatile bool _stopped;

    /// <summary>
    /// What the front answers from, once the tools exist and are bound to the open store (as requests wait for it at the
    /// gate); null once the server is stopping (<see cref="Stop"/>): requests then go to Kestrel, which refuses them.
    /// </summary>
    public async ValueTask<McpDispatch?> ReadyAsync()
    {
        var dispatch = await _dispatch.Task.ConfigureAwait(false);
        if (dispatch is not null && !storeReady.IsCompleted) await storeReady.ConfigureAwait(false);
        return _stopped ? null : dispatch;
    }

    /// <summary>The tools exist: requests the connections have kept can be examined once the store is open.</summary>
    public void Arm(McpDispatch dispatch) => _dispatch.TrySetResult(dispatch);

    /// <summary>A connection was handed to Kestrel: the host is needed now.</summary>
    public void NeedHost() => _hostNeeded.Set();

    /// <summary>
    /// Waits until a connection needs the host (<see cref="NeedHost"/>), or <paramref name="patience"/> has passed. Right
    /// after a restart the calls that follow are the front's, and a host built beside them takes the second core from them.
    /// </summary>
    public void WaitUntilHostNeeded(TimeSpan patience) => _hostNeeded.Wait(patience);

    /// <summary>The server is stopping: no new request is served here (those in flight finish; <see cref="HttpCallsInFlight"/>).</summary>
    public void Stop()
    {
        _stopped = true;
        _dispatch.TrySetResult(null);
    }

    /// <summary>What the front makes of the bytes a connection kept: the request at their start to serve, more to wait for, or none for it.</summary>
    public FrontVerdict Examine(ReadOnlySpan<byte> kept, McpDispatch dispatch, out FrontRequest? request)
    {
        request = null;
        switch (RawRequestHead.TryRead(kept, out var head))
        {
            case RawHeadStatus.Incomplete:
                return FrontVerdict.NeedMore;
            case RawHeadStatus.Unusable:
                return FrontVerdict.NotForTheFront;
        }
        if (!IsPlainSessionPost(head!, out var bodyLength, out var sessionId)) return FrontVerdict.NotForTheFront;
        if (kept.Length < head!.Length + bodyLength) return FrontVerdict.NeedMore;
        var frame = IncomingFrame.Parse(kept.Slice(head.Length, bodyLength), out _);
        if (frame is not { IsRequest: true } || !dispatch.Serves(frame)) return FrontVerdict.NotForTheFront;
        // Progress notifications would need the SDK's stream writer; such a call is the SDK's.
        if (frame.Params is { } parameters && McpDispatch.ProgressTokenOf(parameters) is not null) return FrontVerdict.NotForTheFront;
        request = new FrontRequest(frame, sessionId!, head.Length + bodyLength);
        return FrontVerdict.Serve;
    }

    private bool IsPlainSessionPost(RawRequestHead head, out int bodyLength, out string? sessionId)
    {
        bodyLength = 0;
        sessionId = head["Mcp-Session-Id"];
        if (head.Method != "POST" || head.Target != HttpOptions.EndpointPath || head.Version != "HTTP/1.1") return false;
        if (head["Transfer-Encoding"] is not null || head["Expect"] is not null || head["Last-Event-ID"] is not null) return false;
        if (head["Connection"] is { } connection && !connection.Equals("keep-alive", StringComparison.OrdinalIgnoreCase)) return false;
        if (!int.TryParse(head["Content-Length"], NumberStyles.None, CultureInfo.InvariantCulture, out bodyLength) || bodyLength > MaxBodyBytes) return false;
        if (head["Content-Type"] is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)) return false;
        if (head["Accept"] is not { } accept || !accept.Contains("application/json", StringComparison.OrdinalIgnoreCase) ||
            !accept.Contains("text/event-stream", StringComparison.OrdinalIgnoreCase)) return false;
        // Refusals (401, 403, 404) are Kestrel's to give, as they always are: the front only serves.
        if (!OriginPolicy.AllowsRaw(head["Origin"] ?? "", head["Host"] ?? "", options, out _)) return false;
        if (options.Token is { } token && !token.Admits(head["Authorization"] ?? "")) return false;
        if (sessionId is null || !sessions.Contains(sessionId)) return false;
        return head["MCP-Protocol-Version"] is not { } version || SessionRevision.IsSessionEra(version);
    }

    /// <summary>
    /// Answers <paramref name="request"/> on <paramref name="connection"/>: the response head and priming event at once,
    /// the answer when the call is done, each kept in the event store first.
    /// </summary>
    public async Task ServeAsync(FrontRequest request, HandoverConnection connection, McpDispatch dispatch)
    {
        sessions.Touch(request.SessionId);
        var frame = request.Frame;
        // The SDK names a request's stream by its id's text, and so does a restart that carries this stream (HttpRestartTransport).
        var stream = eventStreams.Open(request.SessionId, frame.RequestId!.Value.Id?.ToString() ?? "");
        var priming = eventStreams.Append(stream, new SseStoredEvent(PrimingEventType, [], (int)SseEventStore.ReconnectDelay.TotalMilliseconds));
        var opening = Encoding.ASCII.GetBytes(ResponseHead(request.SessionId) + Chunk(PrimingEvent(priming)));
        calls.BeginFrontCall();
        try
        {
            var answer = dispatch.AnswerAtOnce(frame);
            if (answer is null)
            {
                await connection.SendByTheFrontAsync(opening).ConfigureAwait(false);
                opening = [];
                HttpCaller.Current = new HttpCaller(connection, request.SessionId,
                    HttpCaller.RateLimitKeysFor(options.Token is not null, (connection.RemoteEndPoint as System.Net.IPEndPoint)?.Address, request.SessionId),
                    Sessions: sessions, StreamOpened: true);
                answer = await dispatch.AnswerAsync(frame, HttpCaller.Current, CancellationToken.None).ConfigureAwait(false);
            }
            byte[] message = [];
            if (answer is not null)
            {
                var id = eventStreams.Append(stream, new SseStoredEvent(null, answer, null));
                message = [.. Encoding.ASCII.GetBytes($"{MessageEventLength(answer, id):x}\r\n"), .. "event: message\ndata: "u8, .. answer,
                    .. Encoding.ASCII.GetBytes($"\nid: {id}\n\n\r\n")];
            }
            eventStreams.Complete(stream);
            byte[] rest = [.. opening, .. message, .. "0\r\n\r\n"u8];
            await connection.SendByTheFrontAsync(rest).ConfigureAwait(false);
        }
        finally
        {
            calls.EndFrontCall();
        }
    }

    private static string ResponseHead(string sessionId) =>
        "HTTP/1.1 200 OK\r\n" +
        "Content-Type: text/event-stream\r\n" +
        $"Date: {DateTime.UtcNow.ToString("r", CultureInfo.InvariantCulture)}\r\n" +
        "Cache-Control: no-cache,no-store\r\n" +
        "Content-Encoding: identity\r\n" +
        "Transfer-Encoding: chunked\r\n" +
        $"Mcp-Session-Id: {sessionId}\r\n" +
        "X-Accel-Buffering: no\r\n" +
        "\r\n";

    private static string PrimingEvent(SseEventId id) =>
        $"event: {PrimingEventType}\ndata: \nid: {id}\nretry: {(int)SseEventStore.ReconnectDelay.TotalMilliseconds}\n\n";

    private static string Chunk(string data) => $"{Encoding.ASCII.GetByteCount(data):x}\r\n{data}\r\n";

    private static int MessageEventLength(byte[] answer, SseEventId id) =>
        "event: message\ndata: "u8.Length + answer.Length + Encoding.ASCII.GetByteCount($"\nid: {id}\n\n");
}

/// <summary>A request the <see cref="HttpFront"/> serves: its JSON-RPC frame, its session, and its bytes on the connection (head and body).</summary>
internal sealed record FrontRequest(IncomingFrame Frame, string SessionId, int Length);

internal enum FrontVerdict
{
    /// <summary>The request at the start of what was kept has not fully arrived.</summary>
    NeedMore,

    /// <summary>The front answers it.</summary>
    Serve,

    /// <summary>Kestrel's: the kept bytes go to it, and so does everything after them on this connection.</summary>
    NotForTheFront,
}
