using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;

namespace Orchestrator.Board;

/// <summary>
/// Server-Sent Events: a <c>change</c> event within a second of any commit to the store, by any process. A change is
/// seen by polling SQLite's <c>PRAGMA data_version</c> on the stream's own read connection every
/// <see cref="PollInterval"/>: a read of a counter in shared memory, no query of the tables. The page refetches what
/// it shows on each event.
/// </summary>
internal static class BoardEvents
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>A comment sent this often keeps proxies and the browser from deeming the stream dead.</summary>
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    public static async Task StreamAsync(HttpContext context, BoardStore store, CancellationToken stop)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-store";
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(stop, context.RequestAborted);
        var token = ending.Token;
        SqliteConnection? connection = null;
        long? version = null;
        var sequence = 0L;
        var lastSent = DateTime.UtcNow;
        // The baseline is read before "hello" is sent: a commit the client makes once it has seen "hello" is then always
        // a change (read after, it could be taken into the baseline and never announced).
        long? Read()
        {
            try
            {
                connection ??= store.Open();
                return Convert.ToInt64(BoardStore.Scalar(connection, "PRAGMA data_version"));
            }
            catch (Exception ex) when (ex is BoardUnavailableException or SqliteException)
            {
                connection?.Dispose();
                connection = null;
                return null;
            }
        }
        try
        {
            version = Read();
            // retry: how soon the browser reconnects after the stream ends (at a restart, say).
            await Send(response, "retry: 500\nevent: hello\ndata: {}\n\n", token);
            while (!token.IsCancellationRequested)
            {
                await Task.Delay(PollInterval, token);
                var now = Read();
                // The page loaded its data when it opened the stream; what changed since the baseline is announced.
                if (version is not null && now != version)
                {
                    await Send(response, $"event: change\ndata: {{\"sequence\":{++sequence}}}\n\n", token);
                    lastSent = DateTime.UtcNow;
                }
                version = now ?? version;
                if (DateTime.UtcNow - lastSent > KeepAlive)
                {
                    await Send(response, ": keep-alive\n\n", token);
                    lastSent = DateTime.UtcNow;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The client left, or a restart ends the stream: the response completes cleanly.
        }
        catch (IOException)
        {
            // The connection went away mid-write.
        }
        finally
        {
            connection?.Dispose();
        }
    }

    private static async Task Send(HttpResponse response, string text, CancellationToken token)
    {
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), token);
        await response.Body.FlushAsync(token);
    }
}
