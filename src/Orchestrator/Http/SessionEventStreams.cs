using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Orchestrator.Orchestration.Mcp;

namespace Orchestrator.Http;

/// <summary>
/// The standalone event stream of a 2025-11-25 session (<c>GET /mcp</c> with its <c>Mcp-Session-Id</c>): what the server
/// has to say outside any request. It says two things: a subscribed resource changed
/// (<c>notifications/resources/updated</c>, found by polling the store's change mark every <see cref="PollInterval"/>
/// while the session has subscriptions), and, once after an in-place restart into a binary serving other lists,
/// <c>notifications/{tools,prompts,resources}/list_changed</c>.
/// <para>
/// Served here rather than by the SDK, because a restart must be able to end it: the stream is a request that never
/// ends by itself, and a restart waits for every connection to reach a request boundary. At a restart (or shutdown) the
/// stream ends cleanly; the client reconnects after the priming event's <c>retry</c> with <c>Last-Event-ID</c>, and
/// whichever image answers tells it what changed after that event (<see cref="SessionEventId"/>: the id is a change
/// mark, so nothing is lost across the restart and nothing needs keeping per stream). A session has one stream: a
/// second GET (a client that reconnected before the server saw its old connection go) replaces the first.
/// </para>
/// </summary>
internal sealed class SessionEventStreams(HttpSubscriptions subscriptions, McpSurface surface, HttpSessionCatalog sessions, EventStreamStop stop,
    ILogger logger)
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>How soon a client reconnects after the stream ends (a restart takes milliseconds; the new image waits for it).</summary>
    public const int RetryMs = 250;

    /// <summary>A comment sent this often keeps proxies from deeming the stream dead, and the session from going idle.</summary>
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    private readonly ConcurrentDictionary<string, CancellationTokenSource> _open = new(StringComparer.Ordinal);

    /// <summary>The store's change mark as last read, and when: shared by every stream, so that many streams waiting on an
    /// unchanged store cost one read of it per half poll interval, not one each.</summary>
    private long _latestMark = -1;
    private long _latestReadAt;

    /// <summary>Whether this GET is for a session stream: any GET without <c>Last-Event-ID</c>, or one resuming an id of ours.</summary>
    public static bool Serves(string? lastEventId) => string.IsNullOrEmpty(lastEventId) || SessionEventId.TryParse(lastEventId, out _);

    /// <summary>Serves the stream of <paramref name="sessionId"/> (a session the gate found known) until it is ended.</summary>
    public async Task ServeAsync(HttpContext context, string sessionId, string? lastEventId)
    {
        long? resumed = null;
        if (!string.IsNullOrEmpty(lastEventId))
        {
            SessionEventId.TryParse(lastEventId, out var mark);
            resumed = mark;
        }
        if (!AcceptsEventStream(context.Request))
        {
            await Refuse(context, StatusCodes.Status406NotAcceptable, "Not Acceptable: the client must accept text/event-stream");
            return;
        }

        using var mine = CancellationTokenSource.CreateLinkedTokenSource(stop.Token, context.RequestAborted);
        var token = mine.Token;
        _open.AddOrUpdate(sessionId, mine, (_, older) =>
        {
            if (older != mine) CancelQuietly(older);
            return mine;
        });
        try
        {
            var response = context.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-cache, no-store";
            response.Headers["X-Accel-Buffering"] = "no";
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

            var changes = surface.Changes;
            var now = changes?.Mark() ?? 0;
            // A client cannot move its mark past the store's (it would miss what comes until the store catches up).
            var position = resumed is { } r ? Math.Min(r, now) : now;
            var (uris, _) = subscriptions.Of(sessionId);
            long? mark = uris.Length > 0 ? position : null;
            await Write(response, $"id: {SessionEventId.Of(position)}\nretry: {RetryMs}\ndata: \n\n", token);
            foreach (var kind in subscriptions.TakeOwedLists(sessionId))
                await WriteMessage(response, McpNotifications.ListChanged(kind), null, token);
            var lastSent = DateTime.UtcNow;

            while (true)
            {
                await Task.Delay(PollInterval, token);
                if (!sessions.Contains(sessionId)) break; // deleted, expired or evicted: nothing more to say
                var since = subscriptions.Of(sessionId);
                if (since.Uris.Length == 0 || changes is null)
                {
                    mark = null; // nothing subscribed: no store read; the next subscription sets where to look from
                }
                else if ((mark ?? since.SinceMark) is var after && LatestMark(changes) > after)
                {
                    var changed = changes.Changed(after, since.Uris, out var next);
                    mark = next;
                    for (var i = 0; i < changed.Count; i++)
                        // The last of them carries the mark: a client cut off before it resumes from the one before, and hears
                        // of these again (at least once, never lost).
                        await WriteMessage(response, McpNotifications.ResourceUpdated(changed[i]), i == changed.Count - 1 ? next : null, token);
                    if (changed.Count > 0) lastSent = DateTime.UtcNow;
                }
                if (DateTime.UtcNow - lastSent > KeepAlive)
                {
                    sessions.Touch(sessionId);
                    await Write(response, ": keep-alive\n\n", token);
                    lastSent = DateTime.UtcNow;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Ended by a restart or shutdown, replaced by a newer stream, or the client left: the response completes cleanly.
        }
        catch (IOException)
        {
            // The connection went away mid-write.
        }
        catch (Exception ex) when (ex is Orchestrator.Storage.StoreFaultException or Microsoft.Data.Sqlite.SqliteException)
        {
            // The store is closing (a restart) or failing: the client resumes from its last event, here or in the next image.
            logger.LogDebug("A session stream ended on a store error: {Message}", ex.Message);
        }
        finally
        {
            _open.TryRemove(KeyValuePair.Create(sessionId, mine));
        }
    }

    /// <summary>The store's change mark, read again only when the shared reading is older than half a poll interval.</summary>
    private long LatestMark(ResourceChanges changes)
    {
        var now = Stopwatch.GetTimestamp();
        if (Volatile.Read(ref _latestMark) >= 0 && Stopwatch.GetElapsedTime(Volatile.Read(ref _latestReadAt), now) < PollInterval / 2)
            return Volatile.Read(ref _latestMark);
        var mark = changes.Mark();
        Volatile.Write(ref _latestMark, mark);
        Volatile.Write(ref _latestReadAt, now);
        return mark;
    }

    private static bool AcceptsEventStream(HttpRequest request)
    {
        var accept = request.Headers.Accept.ToString();
        return accept.Length == 0 || accept.Contains("text/event-stream", StringComparison.OrdinalIgnoreCase) || accept.Contains("*/*", StringComparison.Ordinal);
    }

    private static void CancelQuietly(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // That stream has just ended by itself.
        }
    }

    private static Task WriteMessage(HttpResponse response, byte[] message, long? mark, CancellationToken token)
    {
        var head = mark is { } m ? $"id: {SessionEventId.Of(m)}\nevent: message\ndata: " : "event: message\ndata: ";
        return Write(response, [.. Encoding.UTF8.GetBytes(head), .. message, (byte)'\n', (byte)'\n'], token);
    }

    private static Task Write(HttpResponse response, string text, CancellationToken token) => Write(response, Encoding.UTF8.GetBytes(text), token);

    private static async Task Write(HttpResponse response, byte[] bytes, CancellationToken token)
    {
        await response.Body.WriteAsync(bytes, token);
        await response.Body.FlushAsync(token);
    }

    private static Task Refuse(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32000,\"message\":\"" + message + "\"}}");
    }
}
