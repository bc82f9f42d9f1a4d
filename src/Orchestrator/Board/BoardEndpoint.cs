using System.Buffers;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;

namespace Orchestrator.Board;

/// <summary>
/// Everything under <c>/board</c>: the page and its two assets, the login form, and the read-only JSON API and event
/// stream. Served by <c>orchestrator board</c> on its own and by <c>--http</c> beside <c>/mcp</c>; either gives the
/// access rules (<see cref="IBoardGuard"/>) and, under <c>--http</c>, the signal that ends the event streams at a restart.
/// Bad input changes nothing and gets a clear status: 404 for an unknown id or path, 400 for a malformed parameter,
/// 414 for a query string past <see cref="MaxQueryLength"/>, 503 for a store this build cannot show.
/// </summary>
/// <param name="streamsEnd">The token that ends the event streams open when it is read (a restart or shutdown cancels it).</param>
internal sealed class BoardEndpoint(BoardStore store, IBoardGuard guard, Func<CancellationToken> streamsEnd, TimeProvider clock)
{
    public const string Prefix = "/board";

    /// <summary>The board's own URLs carry an id or two; anything much longer is not one of them.</summary>
    public const int MaxQueryLength = 2048;

    private const string SecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'";

    public BoardStore Store => store;

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        response.Headers.ContentSecurityPolicy = SecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.CacheControl = "no-store";

        if (!guard.AllowsOrigin(request, out _))
        {
            await Error(context, 403, "Forbidden", "This page may not be opened from another site or through another host name.");
            return;
        }
        if (request.QueryString.Value is { Length: > MaxQueryLength })
        {
            await Error(context, 414, "Query too long", $"The board's URLs carry at most {MaxQueryLength} characters of query.");
            return;
        }
        var path = request.Path.Value ?? "";
        var isGet = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);

        // The assets hold no data: the login page needs them before any token is given.
        switch (path)
        {
            case Prefix + "/board.css" when isGet:
                await Bytes(response, "text/css; charset=utf-8", BoardAssets.Style);
                return;
            case Prefix + "/board.js" when isGet:
                await Bytes(response, "text/javascript; charset=utf-8", BoardAssets.Script);
                return;
            case Prefix + "/login" when HttpMethods.IsPost(request.Method):
                await LoginAsync(context);
                return;
        }

        if (path is Prefix or Prefix + "/" && isGet && request.Query.TryGetValue("token", out var given) && guard.TokenRequired)
        {
            // The token in the URL, once: kept in the cookie, then the URL without it (out of history and bookmarks).
            if (!guard.Admits(given.ToString()))
            {
                await LoginPage(context, 401, "That token was not accepted.");
                return;
            }
            BoardAccess.KeepInCookie(response, given.ToString());
            response.StatusCode = 303;
            response.Headers.Location = Prefix;
            return;
        }
        if (!BoardAccess.Admitted(request, guard))
        {
            if (path.StartsWith(Prefix + "/api/", StringComparison.Ordinal)) await Error(context, 401, "Unauthorized", "This board needs the server's token.");
            else await LoginPage(context, 401, null);
            return;
        }
        if (!isGet)
        {
            response.Headers.Allow = "GET, HEAD";
            await Error(context, 405, "Method not allowed", "The board only reads.");
            return;
        }

        switch (path)
        {
            case Prefix or Prefix + "/":
                await Bytes(response, "text/html; charset=utf-8", BoardAssets.Page);
                return;
            case Prefix + "/api/events":
                await BoardEvents.StreamAsync(context, store, streamsEnd());
                return;
            case Prefix + "/api/health":
                await Json(context, json => BoardHealth.Write(store, json));
                return;
            case Prefix + "/api/overview":
                var session = request.Query["session"].ToString();
                await WithStore(context, (connection, json) =>
                {
                    BoardQueries.Overview(connection, session.Length > 0 ? session : null, Now, json);
                    return true;
                }, null);
                return;
            case Prefix + "/api/task":
                var taskId = request.Query["id"].ToString();
                if (taskId.Length == 0)
                {
                    await Error(context, 400, "Bad request", "Which task? Add ?id=TASK_ID.");
                    return;
                }
                await WithStore(context, (connection, json) => BoardQueries.Task(connection, taskId, Now, json), $"There is no task {taskId}.");
                return;
            case Prefix + "/api/artifact":
                await ArtifactAsync(context);
                return;
        }
        await Error(context, 404, "Not found", "The board has no such page.");
    }

    private long Now => clock.GetUtcNow().ToUnixTimeMilliseconds();

    private async Task ArtifactAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var id = query["id"].ToString();
        if (id.Length == 0)
        {
            await Error(context, 400, "Bad request", "Which artifact? Add ?id=ARTIFACT_ID.");
            return;
        }
        if (!Number(query["offset"].ToString(), 0, long.MaxValue / 2, 0, out var offset)
            || !Number(query["length"].ToString(), 1, BoardQueries.MaxArtifactPage, BoardQueries.DefaultArtifactPage, out var length))
        {
            await Error(context, 400, "Bad request", $"offset must be a whole number from 0, length one from 1 to {BoardQueries.MaxArtifactPage}.");
            return;
        }
        await WithStore(context, (connection, json) => BoardQueries.Artifact(connection, id, offset, (int)length, json), $"There is no artifact {id}.");
    }

    private static bool Number(string text, long min, long max, long byDefault, out long value)
    {
        value = byDefault;
        if (text.Length == 0) return true;
        return long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value)
            && value >= min && value <= max;
    }

    /// <summary>Runs a query on a fresh read-only connection; 404 with <paramref name="notFound"/> when it finds nothing, 503 when the store cannot be shown.</summary>
    private async Task WithStore(HttpContext context, Func<SqliteConnection, Utf8JsonWriter, bool> query, string? notFound)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        try
        {
            using var connection = store.Open();
            using var json = new Utf8JsonWriter(buffer);
            if (!query(connection, json))
            {
                await Error(context, 404, "Not found", notFound ?? "Not found.");
                return;
            }
            json.Flush();
        }
        catch (BoardUnavailableException ex)
        {
            await Error(context, ex.Status, "Store unavailable", ex.Message);
            return;
        }
        catch (SqliteException ex)
        {
            await Error(context, 503, "Store unavailable", $"The store could not be read: {ex.Message}");
            return;
        }
        await Bytes(context.Response, "application/json; charset=utf-8", buffer.WrittenMemory);
    }

    private static async Task Json(HttpContext context, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var json = new Utf8JsonWriter(buffer)) write(json);
        await Bytes(context.Response, "application/json; charset=utf-8", buffer.WrittenMemory);
    }

    private static async Task Bytes(HttpResponse response, string contentType, ReadOnlyMemory<byte> body)
    {
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(response.HttpContext.Request.Method)) await response.Body.WriteAsync(body);
    }

    /// <summary>An API path answers JSON (<c>{"error": …}</c>); a page path a small HTML page saying the same.</summary>
    private static async Task Error(HttpContext context, int status, string title, string message)
    {
        context.Response.StatusCode = status;
        if ((context.Request.Path.Value ?? "").StartsWith(Prefix + "/api/", StringComparison.Ordinal))
        {
            await Json(context, json =>
            {
                json.WriteStartObject();
                json.WriteNumber("status", status);
                json.WriteString("error", message);
                json.WriteEndObject();
            });
            return;
        }
        await Html(context, title, $"<p role=\"alert\">{WebUtility.HtmlEncode(message)}</p><p><a href=\"{Prefix}\">Back to the board</a></p>");
    }

    private static Task LoginPage(HttpContext context, int status, string? problem)
    {
        context.Response.StatusCode = status;
        var alert = problem is null ? "" : $"<p role=\"alert\" class=\"problem\">{WebUtility.HtmlEncode(problem)}</p>";
        return Html(context, "Orchestrator board: token needed", $"""
            <p>This board shows the tasks of an Orchestrator server and needs the server's token (the one MCP clients send as
            <code>Authorization: Bearer</code>).</p>{alert}
            <form method="post" action="{Prefix}/login" class="login">
              <label for="token">Token</label>
              <input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
              <button type="submit">Open the board</button>
            </form>
            """);
    }

    private async Task LoginAsync(HttpContext context)
    {
        if (!context.Request.HasFormContentType)
        {
            await Error(context, 400, "Bad request", "Send the token from the board's form.");
            return;
        }
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var token = form["token"].ToString();
        if (!guard.TokenRequired)
        {
            context.Response.StatusCode = 303;
            context.Response.Headers.Location = Prefix;
            return;
        }
        if (token.Length == 0 || !guard.Admits(token))
        {
            await LoginPage(context, 401, "That token was not accepted.");
            return;
        }
        BoardAccess.KeepInCookie(context.Response, token);
        context.Response.StatusCode = 303;
        context.Response.Headers.Location = Prefix;
    }

    private static async Task Html(HttpContext context, string title, string body)
    {
        var page = $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{WebUtility.HtmlEncode(title)}</title><link rel="stylesheet" href="{Prefix}/board.css"></head>
            <body><main class="message"><h1>{WebUtility.HtmlEncode(title)}</h1>{body}</main></body></html>
            """;
        await Bytes(context.Response, "text/html; charset=utf-8", System.Text.Encoding.UTF8.GetBytes(page));
    }
}
