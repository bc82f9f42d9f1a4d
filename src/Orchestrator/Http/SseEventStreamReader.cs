using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Orchestrator.Http;

#pragma warning disable MCP9006 // resumable streams belong to the 2025-11-25 sessions this server keeps on purpose

/// <summary>
/// A resumed read of one kept stream (a GET with <c>Last-Event-ID</c>): the events after the client's last one, then
/// those still to come, until the stream ends (answered, interrupted by a restart, forgotten) or a restart begins.
/// </summary>
internal sealed class SseEventStreamReader(SseEventStore store, SseEventStream stream, int lastSequence) : ISseEventStreamReader
{
    public string SessionId => stream.SessionId;
    public string StreamId => stream.StreamId;

    public async IAsyncEnumerable<SseItem<JsonRpcMessage?>> ReadEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var next = lastSequence + 1;
        while (true)
        {
            var (events, ended, changed) = store.ReadFrom(stream, next);
            foreach (var stored in events)
            {
                yield return new SseItem<JsonRpcMessage?>(SseEventStore.Message(stored), stored.EventType)
                {
                    EventId = stream.IdOf(next++).ToString(),
                    ReconnectionInterval = stored.RetryMs is { } retry ? TimeSpan.FromMilliseconds(retry) : null,
                };
            }
            if (ended) yield break;
            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
