using System.Net.ServerSentEvents;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Orchestrator.Http;

#pragma warning disable MCP9006 // resumable streams belong to the 2025-11-25 sessions this server keeps on purpose

/// <summary>
/// How the SDK writes one POST's response stream into the <see cref="SseEventStore"/>: each event before it goes to the
/// response; disposed once the request's answer was written.
/// </summary>
internal sealed class SseEventStreamWriter(SseEventStore store, SseEventStream stream) : ISseEventStreamWriter
{
    /// <summary>
    /// The SDK asks for polling when a handler ends the response early (<c>EnablePollingAsync</c>). A resumed read here
    /// waits for the stream's end either way: the answer is what the client came back for, and a read that ended as soon
    /// as it caught up would send the client back to ask again, and lose the race when the answer follows at once.
    /// </summary>
    public ValueTask SetModeAsync(SseEventStreamMode mode, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask<SseItem<JsonRpcMessage?>> WriteEventAsync(SseItem<JsonRpcMessage?> sseItem, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(sseItem.EventId is not null ? sseItem : store.Write(stream, sseItem));

    public ValueTask DisposeAsync()
    {
        store.Complete(stream);
        return ValueTask.CompletedTask;
    }
}
