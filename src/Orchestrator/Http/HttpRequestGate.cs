using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Orchestrator.Http;

/// <summary>
/// The first middleware every HTTP request meets: refuses requests without the bearer token (401, nothing else),
/// from a foreign browser origin or through a rebound host name (403); serves a session's GET as its standalone event
/// stream (<see cref="SessionEventStreams"/>) unless it resumes a cut response stream (<c>Last-Event-ID</c> of the SDK's:
/// replayed from <see cref="SseEventStore"/>), and a GET outside any session with 405; all after the same token, Origin,
/// Host and session checks as any request. It accounts for every request on its connection, so that a restart knows
/// when each connection is at a boundary, and names the caller for the tools. A refusal tells the client nothing about
/// the server (no name, version, path or policy): the reason of a 403 goes to the log, at debug level (a refused client
/// can send many).
/// </summary>
/// <param name="board">Serves <c>/board</c> once the Origin/Host check passed (it checks the token itself: it also takes a cookie), or null.</param>
/// <param name="sessionStreams">Serves the sessions' standalone event streams.</param>
internal sealed class HttpRequestGate(HttpTransport http, ILogger logger, SessionEventStreams sessionStreams, RequestDelegate? board = null)
{
    /// <summary>The whole body of every 403: a JSON-RPC error, as MCP clients expect, saying no more than the status.</summary>
    private static readonly byte[] ForbiddenBody = """{"jsonrpc":"2.0","id":null,"error":{"code":-32000,"message":"Forbidden"}}"""u8.ToArray();

    private readonly BearerToken? _token = http.Options.Token;

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        // Every request is accounted for on its connection, refused ones too: a connection is back at a request boundary
        // only once its last request has been answered.
        var connection = context.Features.Get<HandoverConnection>();
        if (connection is not null)
        {
            if (!connection.BeginRequest())
            {
                // A restart gave this connection up while its request head was arriving: nothing may run for it.
                context.Abort();
                return;
            }
            context.Response.OnCompleted(static state => { ((HandoverConnection)state).EndRequest(); return Task.CompletedTask; }, connection);
        }

        if (!OriginPolicy.Allows(context.Request, http.Options, out var refusal))
        {
            logger.LogDebug("Refused a request with 403: {Refusal}", refusal);
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            context.Response.ContentType = "application/json";
            // Refused clients get no keep-alive: the connection closes with the answer, its unread body is not waited for.
            context.Response.Headers.Connection = "close";
            context.Response.ContentLength = ForbiddenBody.Length;
            await context.Response.Body.WriteAsync(ForbiddenBody);
            return;
        }
        if (board is not null && context.Request.Path.StartsWithSegments("/board"))
        {
            await board(context);
            return;
        }
        if (_token is not null && !_token.Admits(context.Request.Headers.Authorization.ToString()))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer";
            context.Response.Headers.Connection = "close";
            return;
        }

        if (!http.StoreReadyTask.IsCompleted) await http.StoreReadyTask;
        var sessionId = context.Request.Headers["Mcp-Session-Id"].ToString();
        var rateLimitKeys = HttpCaller.RateLimitKeysFor(_token is not null, context.Connection.RemoteIpAddress, sessionId);
        HttpCaller.Current = new HttpCaller(connection, sessionId.Length > 0 ? sessionId : null, rateLimitKeys, context.Response, http.Sessions);

        var isGet = HttpMethods.IsGet(context.Request.Method);
        var lastEventId = context.Request.Headers["Last-Event-ID"].ToString();
        if (isGet && sessionId.Length == 0 && lastEventId.Length == 0)
        {
            // Outside a session (2026-07-28 clients, or none opened yet) there is no standalone stream: the spec lets it be 405.
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            context.Response.Headers.Allow = "POST, DELETE";
            return;
        }

        if (sessionId.Length > 0 && !http.Sessions.Touch(sessionId))
        {
            // Never opened here, expired or evicted: the spec's answer to an unknown session, so the client initializes again.
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32001,\"message\":\"Session not found\"}}");
            return;
        }

        if (sessionId.Length > 0 && http.Sessions.Revision(sessionId) is { } revision && SessionRevision.Reconcile(context.Request.Headers, revision))
            logger.LogDebug("Session {Session} named another protocol revision in its header; its own ({Revision}) holds", sessionId, revision);

        if (isGet && sessionId.Length > 0 && SessionEventStreams.Serves(lastEventId))
        {
            await sessionStreams.ServeAsync(context, sessionId, lastEventId);
            return;
        }

        try
        {
            await next(context);
            // A body left unread would leave bytes unconsumed on the connection: read it, so the connection is at a boundary.
            await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
        }
        catch (Exception ex) when (MalformedBody(ex) && !context.Response.HasStarted)
        {
            // The client's framing cannot be trusted any more: answer 400 and close.
            context.Response.Clear();
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            context.Response.ContentType = "application/json";
            context.Response.Headers.Connection = "close";
            var message = System.Text.Json.JsonEncodedText.Encode("Bad Request: malformed request body (" + ex.Message + ")").ToString();
            await context.Response.WriteAsync("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,\"message\":\"" + message + "\"}}");
            return;
        }
        if (HttpMethods.IsDelete(context.Request.Method) && sessionId.Length > 0 && context.Response.StatusCode < 300)
        {
            http.Sessions.Forget(sessionId);
            http.Subscriptions.Forget(sessionId);
        }
    }

    /// <summary>
    /// A request body Kestrel could not read because of what the client sent. Most such bodies come as
    /// <see cref="BadHttpRequestException"/>; a chunk size past 2^31 comes as an <see cref="IOException"/> ("Bad chunk size
    /// data") around an <see cref="OverflowException"/>, which left to Kestrel became a 500.
    /// </summary>
    private static bool MalformedBody(Exception ex) =>
        ex is BadHttpRequestException || ex is IOException { InnerException: OverflowException or FormatException };
}
