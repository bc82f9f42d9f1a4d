using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Orchestrator.Http;

/// <summary>
/// The first middleware every HTTP request meets: refuses requests without the bearer token (401, nothing else),
/// from a foreign browser origin or through a rebound host name (403); answers GET with 405 (no standalone event
/// stream); then accounts for the request on its connection, so that a restart knows when each connection is at a
/// boundary, and names the caller for the tools. A refusal tells the client nothing about the server (no name, version,
/// path or policy): the reason of a 403 goes to the log, at debug level (a refused client can send many).
/// </summary>
internal sealed class HttpRequestGate(HttpTransport http, ILogger logger)
{
    /// <summary>The whole body of every 403: a JSON-RPC error, as MCP clients expect, saying no more than the status.</summary>
    private static readonly byte[] ForbiddenBody = """{"jsonrpc":"2.0","id":null,"error":{"code":-32000,"message":"Forbidden"}}"""u8.ToArray();

    private readonly BearerToken? _token = http.Options.Token;

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (!OriginPolicy.Allows(context.Request, http.Options, out var refusal))
        {
            logger.LogDebug("Refused a request with 403: {Refusal}", refusal);
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = ForbiddenBody.Length;
            await context.Response.Body.WriteAsync(ForbiddenBody);
            return;
        }
        if (_token is not null && !_token.Admits(context.Request.Headers.Authorization.ToString()))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return;
        }

        if (!http.StoreReadyTask.IsCompleted) await http.StoreReadyTask;
        var connection = context.Features.Get<HandoverConnection>();
        var sessionId = context.Request.Headers["Mcp-Session-Id"].ToString();
        HttpCaller.Current = new HttpCaller(connection, sessionId.Length > 0 ? sessionId : null, ClientKey(context, sessionId), context.Response);

        if (HttpMethods.IsGet(context.Request.Method))
        {
            // No standalone event stream: this server sends nothing unsolicited (the spec lets it answer 405), and a
            // stream that never ends could not be handed to the next image at a request boundary.
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            context.Response.Headers.Allow = "POST, DELETE";
            return;
        }

        if (connection is not null)
        {
            connection.BeginRequest();
            context.Response.OnCompleted(static state => { ((HandoverConnection)state).EndRequest(); return Task.CompletedTask; }, connection);
        }
        await next(context);
        // A body left unread would leave bytes unconsumed on the connection: read it, so the connection is at a boundary.
        await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
        if (HttpMethods.IsDelete(context.Request.Method) && sessionId.Length > 0 && context.Response.StatusCode < 300)
            http.Sessions.Forget(sessionId);
    }

    /// <summary>Rate limits count per session; without one, per token holder (there is one token), else per remote address.</summary>
    private string ClientKey(HttpContext context, string sessionId) =>
        sessionId.Length > 0 ? "session:" + sessionId
        : _token is not null ? "token"
        : "addr:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
}
