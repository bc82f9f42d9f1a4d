using System.Text.Json;
using Orchestrator.Orchestration.Mcp;
using Orchestrator.Reboot.Snapshot;

namespace Orchestrator.Transport;

/// <summary>
/// The stdio client's resource subscriptions: <c>resources/subscribe</c> and <c>unsubscribe</c>, and a poll of the
/// store's change mark every <see cref="PollInterval"/> while at least one subscription exists (none: no timer, no
/// cost) that sends <c>notifications/resources/updated</c> for each subscribed URI that changed. Part of the session:
/// captured into the restart snapshot with the mark they were checked up to, so a change made during or after the
/// restart still reaches the client from the next image (at least once: a notification may repeat, never go missing).
/// </summary>
internal sealed class ResourceSubscriptions : IResourceSubscriptions, IDisposable
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    private readonly McpSurface _surface;
    private readonly StdoutChannel _output;
    private readonly Lock _lock = new();
    private readonly List<string> _uris = [];
    private long _mark = -1; // -1: not read yet (taken at the first subscribe)
    private Timer? _timer;
    private int _polling;

    public ResourceSubscriptions(McpSurface surface, StdoutChannel output, SubscriptionsSnapshot? carried)
    {
        _surface = surface;
        _output = output;
        if (carried is { Uris.Count: > 0 })
        {
            _uris.AddRange(carried.Uris);
            _mark = carried.ChangeMark;
            // The first poll finds the store bound or waits for the next one: the resumed image's start is not delayed.
            _timer = new Timer(static s => ((ResourceSubscriptions)s!).Poll(), this, PollInterval, PollInterval);
        }
    }

    public async ValueTask<McpAnswer> SubscribeAsync(JsonElement? parameters)
    {
        var (answer, uri) = await _surface.SubscriptionTargetAsync(parameters, CancellationToken.None).ConfigureAwait(false);
        if (uri is null) return answer;
        // The store is bound: the check above read from it.
        var mark = _mark < 0 ? _surface.Changes!.Mark() : 0;
        lock (_lock)
        {
            if (_mark < 0) _mark = mark;
            if (!_uris.Contains(uri)) _uris.Add(uri);
            _timer ??= new Timer(static s => ((ResourceSubscriptions)s!).Poll(), this, PollInterval, PollInterval);
        }
        return answer;
    }

    /// <summary>One client, one set: the session named (none over stdio) makes no difference.</summary>
    ValueTask<McpAnswer> IResourceSubscriptions.SubscribeAsync(string? sessionId, JsonElement? parameters) => SubscribeAsync(parameters);

    McpAnswer IResourceSubscriptions.Unsubscribe(string? sessionId, JsonElement? parameters) => Unsubscribe(parameters);

    /// <summary>Unsubscribing from what is not subscribed is not an error: the outcome the client wants holds.</summary>
    public McpAnswer Unsubscribe(JsonElement? parameters)
    {
        if (McpSurface.UnsubscribeTarget(parameters) is not { } uri) return McpAnswer.Invalid("resources/unsubscribe needs params.uri, a string");
        lock (_lock)
        {
            _uris.Remove(uri);
            if (_uris.Count == 0 && _timer is not null)
            {
                _timer.Dispose();
                _timer = null;
            }
        }
        return McpAnswer.Success(McpSurface.EmptyResult);
    }

    /// <summary>What the next image continues with; null when there are no subscriptions.</summary>
    public SubscriptionsSnapshot? Capture()
    {
        lock (_lock) return _uris.Count == 0 ? null : new SubscriptionsSnapshot(_mark, [.. _uris]);
    }

    private void Poll()
    {
        // A slow store must not stack polls up: one at a time, the next tick skipped while one runs.
        if (Interlocked.Exchange(ref _polling, 1) == 1) return;
        try
        {
            if (_surface.Changes is not { } changes) return;
            string[] uris;
            long after;
            lock (_lock)
            {
                if (_uris.Count == 0) return;
                uris = [.. _uris];
                after = _mark;
            }
            var changed = changes.Changed(after, uris, out var mark);
            lock (_lock)
            {
                if (_mark == after) _mark = mark;
                foreach (var uri in changed)
                    if (_uris.Contains(uri)) Notify(uri);
            }
        }
        catch (Exception ex) when (ex is Orchestrator.Storage.StoreFaultException or Microsoft.Data.Sqlite.SqliteException or ObjectDisposedException)
        {
            // The store is closing (a restart, the end) or failing: the next poll, or the next image, looks again from the same mark.
        }
        finally
        {
            Volatile.Write(ref _polling, 0);
        }
    }

    private void Notify(string uri) => _output.WriteFrame(McpNotifications.ResourceUpdated(uri));

    public void Dispose()
    {
        lock (_lock)
        {
            _timer?.Dispose();
            _timer = null;
        }
    }
}
