using System.Net.ServerSentEvents;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Orchestrator.Http;

#pragma warning disable MCP9006 // resumable streams belong to the 2025-11-25 sessions this server keeps on purpose

/// <summary>
/// The events of the response streams of 2025-11-25 sessions, kept so that a client whose stream was cut (its connection
/// dropped, or the server restarted in place) can reconnect with <c>GET</c> and <c>Last-Event-ID</c> and receive what it
/// missed, the answer included. The SDK writes every event of a POST's event stream here first (it gives each its id, and
/// the stream a priming event that carries the <c>retry</c> field), then to the response; a resumed GET reads them back.
/// Stateless 2026-07-28 requests never reach it (the SDK keeps no stream for them).
/// </summary>
/// <remarks>
/// Bounded, since every request of every session writes here: at most <see cref="MaxStreams"/> streams and
/// <see cref="MaxBytes"/> bytes of events (the oldest ended streams are forgotten first, then the oldest still open), and
/// an ended stream is kept <see cref="Retention"/> after its end. A restart carries what is kept (<see cref="SseStreamHandover"/>).
/// Every method takes one lock for a few list operations; messages are serialized outside it.
/// </remarks>
internal sealed class SseEventStore : ISseEventStreamStore
{
    /// <summary>The <c>retry</c> field of every priming event: how long a client waits before reconnecting.</summary>
    public static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(1);

    /// <summary>How long an ended stream stays resumable: a client reconnects within seconds (<see cref="ReconnectDelay"/>), or gave up.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromMinutes(5);

    public const int MaxStreams = 4096;
    public const long MaxBytes = 32L * 1024 * 1024;

    /// <summary>
    /// What a restart carries: the most recently opened streams, at most this many and <see cref="MaxCarriedBytes"/>. A
    /// stream cut by a dropped connection or by the restart itself is among the latest; carrying all that is kept
    /// (4096 streams, 3 MB after a load) cost the restart about 150 ms, 256 of them 6 to 8 ms (bench http, 4 clients:
    /// restart → answer 26 → 33 ms), 32 about a millisecond. A client that lost its stream reconnects within a second;
    /// a server with one or a few clients has opened fewer streams than this in that time.
    /// </summary>
    public const int MaxCarriedStreams = 32;

    public const long MaxCarriedBytes = 1L * 1024 * 1024;

    private static readonly JsonTypeInfo<JsonRpcMessage> s_messageType =
        (JsonTypeInfo<JsonRpcMessage>)McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(JsonRpcMessage));

    private readonly Lock _lock = new();
    private readonly Dictionary<long, SseEventStream> _streams = [];

    /// <summary>Ended streams in the order they ended, which is the order they expire in (forgotten ones skipped as met).</summary>
    private readonly Queue<SseEventStream> _ended = new();

    private readonly TimeProvider _clock;
    private long _nextNumber;
    private long _bytes;
    private bool _readersEnding;
    private SseEventStream? _pending;

    public SseEventStore(TimeProvider clock, long firstNumber = 1)
    {
        _clock = clock;
        _nextNumber = Math.Max(1, firstNumber);
    }

    public int Count { get { lock (_lock) return _streams.Count; } }

    public long Bytes { get { lock (_lock) return _bytes; } }

    public ValueTask<ISseEventStreamWriter> CreateStreamAsync(SseEventStreamOptions options, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<ISseEventStreamWriter>(new SseEventStreamWriter(this, Open(options.SessionId, options.StreamId)));

    /// <summary>A new response stream of <paramref name="sessionId"/> answering the request named <paramref name="streamId"/>.</summary>
    public SseEventStream Open(string sessionId, string streamId)
    {
        lock (_lock)
        {
            ForgetExpired(NowMs());
            var stream = new SseEventStream(_nextNumber++, sessionId, streamId);
            _streams.Add(stream.Number, stream);
            _bytes += stream.Bytes;
            KeepWithinBounds(stream);
            return stream;
        }
    }

    /// <summary>
    /// A reader of the stream that <paramref name="lastEventId"/> belongs to, from the event after it; null when this store
    /// never wrote that id or has forgotten its stream (the SDK answers 400). Whose session the stream is, the SDK checks
    /// against the request's: another session's id gets 400 and no event.
    /// </summary>
    public ValueTask<ISseEventStreamReader?> GetStreamReaderAsync(string lastEventId, CancellationToken cancellationToken = default)
    {
        if (!SseEventId.TryParse(lastEventId, out var id)) return ValueTask.FromResult<ISseEventStreamReader?>(null);
        lock (_lock)
        {
            ForgetExpired(NowMs());
            if (!_streams.TryGetValue(id.Stream, out var stream) || id.Sequence > stream.Events.Count)
                return ValueTask.FromResult<ISseEventStreamReader?>(null);
            return ValueTask.FromResult<ISseEventStreamReader?>(new SseEventStreamReader(this, stream, id.Sequence));
        }
    }

    /// <summary>Keeps one event of <paramref name="stream"/> and returns it with its id (a priming event also gets the retry field).</summary>
    public SseItem<JsonRpcMessage?> Write(SseEventStream stream, SseItem<JsonRpcMessage?> item)
    {
        if (item.Data is null && item.ReconnectionInterval is null) item = item with { ReconnectionInterval = ReconnectDelay };
        var data = item.Data is { } message ? JsonSerializer.SerializeToUtf8Bytes(message, s_messageType) : [];
        var retryMs = item.ReconnectionInterval is { } retry ? (int)Math.Min(int.MaxValue, retry.TotalMilliseconds) : (int?)null;
        return item with { EventId = Append(stream, new SseStoredEvent(item.EventType, data, retryMs)).ToString() };
    }

    /// <summary>Keeps one event already in its written form (a JSON-RPC message in UTF-8, or empty for priming) and returns its id.</summary>
    public SseEventId Append(SseEventStream stream, SseStoredEvent stored)
    {
        lock (_lock)
        {
            if (stream.State == SseStreamState.Open && _streams.ContainsKey(stream.Number))
            {
                var before = stream.Bytes;
                stream.Append(stored);
                _bytes += stream.Bytes - before;
                KeepWithinBounds(stream);
            }
            else
            {
                // A forgotten stream still numbers its events (ids stay unique); they are just not kept.
                stream.Unkept();
            }
            return stream.IdOf(stream.LastSequence);
        }
    }

    /// <summary>The request was answered: the stream holds every event it will have, and starts its retention window.</summary>
    public void Complete(SseEventStream stream)
    {
        lock (_lock) End(stream, SseStreamState.Completed);
    }

    /// <summary>The events of <paramref name="stream"/> from sequence <paramref name="next"/> on, whether more can come, and what to wait on for them.</summary>
    public (SseStoredEvent[] Events, bool Ended, Task Changed) ReadFrom(SseEventStream stream, int next)
    {
        lock (_lock)
        {
            var available = next - 1 < stream.Events.Count ? stream.Events.GetRange(next - 1, stream.Events.Count - next + 1).ToArray() : [];
            return (available, stream.State != SseStreamState.Open || _readersEnding, stream.Changed);
        }
    }

    public static JsonRpcMessage? Message(SseStoredEvent stored) =>
        stored.Data.Length == 0 ? null : JsonSerializer.Deserialize(stored.Data, s_messageType);

    /// <summary>
    /// A restart is under way: readers stop waiting for more (their response ends; the client resumes from its last event,
    /// in the image that answers it), so that none holds the restart up, least of all one waiting on the restart call itself.
    /// </summary>
    public void EndWaitingReaders()
    {
        lock (_lock)
        {
            _readersEnding = true;
            foreach (var stream in _streams.Values) stream.Signal();
        }
    }

    /// <summary>The restart was abandoned: readers wait for their streams' ends again.</summary>
    public void ServeReadersAgain()
    {
        lock (_lock) _readersEnding = false;
    }

    /// <summary>
    /// What crosses a restart: the most recently opened streams kept (within <see cref="MaxCarriedStreams"/> and
    /// <see cref="MaxCarriedBytes"/>), and which of them the restart call's answer will end.
    /// </summary>
    public byte[] Export(string? restartSessionId, string? restartStreamId)
    {
        lock (_lock)
        {
            ForgetExpired(NowMs());
            var pending = _streams.Values.Where(s => s.State == SseStreamState.Open && s.SessionId == restartSessionId && s.StreamId == restartStreamId)
                .MaxBy(s => s.Number);
            var carried = new List<SseEventStream>();
            var bytes = 0L;
            foreach (var stream in _streams.Values.OrderByDescending(s => s.Number))
            {
                if (carried.Count == MaxCarriedStreams || bytes + stream.Bytes > MaxCarriedBytes) break;
                carried.Add(stream);
                bytes += stream.Bytes;
            }
            if (pending is not null && !carried.Contains(pending)) carried.Add(pending);
            return SseStreamHandover.Encode(_nextNumber, pending?.Number ?? 0, carried.OrderBy(s => s.Number));
        }
    }

    /// <summary>
    /// The store of a new image, from what the previous one carried: ended streams start their retention window again; a
    /// stream still open had its call cut by the restart and ends as interrupted, but for the restart call's own, which
    /// <see cref="FinishPending"/> ends with its answer. Unreadable bytes give an empty store (resumption is lost, nothing else).
    /// </summary>
    public static SseEventStore Import(ReadOnlySpan<byte> carried, TimeProvider clock)
    {
        if (carried.IsEmpty || SseStreamHandover.TryDecode(carried) is not { } handover) return new SseEventStore(clock);
        var store = new SseEventStore(clock, handover.NextNumber);
        var now = store.NowMs();
        foreach (var (stream, carriedState) in handover.Streams.Take(MaxStreams))
        {
            if (!store._streams.TryAdd(stream.Number, stream)) continue; // a number carried twice: the first one counts
            store._bytes += stream.Bytes;
            if (carriedState == SseStreamState.Open && stream.Number == handover.PendingNumber) store._pending = stream;
            else store.End(stream, carriedState == SseStreamState.Open ? SseStreamState.Interrupted : carriedState, now);
        }
        lock (store._lock)
        {
            while (store._bytes > MaxBytes && store.OldestToForget(keep: null) is { } victim) store.Forget(victim);
        }
        return store;
    }

    /// <summary>Ends the restart call's carried stream with its answer; the answer event's id, or null when no stream was carried.</summary>
    public string? FinishPending(ReadOnlySpan<byte> jsonRpcMessage)
    {
        lock (_lock)
        {
            if (_pending is not { } stream) return null;
            _pending = null;
            if (!_streams.ContainsKey(stream.Number)) return null;
            var before = stream.Bytes;
            stream.Append(new SseStoredEvent(null, jsonRpcMessage.ToArray(), null));
            _bytes += stream.Bytes - before;
            End(stream, SseStreamState.Completed);
            KeepWithinBounds(stream);
            return stream.IdOf(stream.Events.Count).ToString();
        }
    }

    private void End(SseEventStream stream, SseStreamState state) => End(stream, state, NowMs());

    private void End(SseEventStream stream, SseStreamState state, long now)
    {
        if (stream.State != SseStreamState.Open) return;
        stream.End(state, now);
        if (_streams.ContainsKey(stream.Number)) _ended.Enqueue(stream);
    }

    private void ForgetExpired(long now)
    {
        var retentionMs = (long)Retention.TotalMilliseconds;
        while (_ended.TryPeek(out var oldest) && (!_streams.ContainsKey(oldest.Number) || now - oldest.EndedAtMs > retentionMs))
        {
            _ended.Dequeue();
            Forget(oldest);
        }
    }

    /// <summary>
    /// Past a bound, forgets streams until within it: ended ones first, oldest first; <paramref name="keep"/> (just written)
    /// last of all, when it alone is past the byte bound (its response still reaches a connected client; it is only not resumable).
    /// </summary>
    private void KeepWithinBounds(SseEventStream keep)
    {
        while (_streams.Count > MaxStreams || _bytes > MaxBytes)
        {
            var victim = OldestToForget(keep) ?? (_streams.ContainsKey(keep.Number) ? keep : null);
            if (victim is null) return;
            Forget(victim);
        }
    }

    private SseEventStream? OldestToForget(SseEventStream? keep)
    {
        while (_ended.TryPeek(out var oldest))
        {
            if (_streams.ContainsKey(oldest.Number) && oldest != keep) return oldest;
            _ended.Dequeue();
        }
        SseEventStream? victim = null;
        foreach (var stream in _streams.Values)
            if (stream != keep && (victim is null || stream.Number < victim.Number)) victim = stream;
        return victim;
    }

    private void Forget(SseEventStream stream)
    {
        if (!_streams.Remove(stream.Number)) return;
        _bytes -= stream.Bytes;
        if (stream == _pending) _pending = null;
        stream.End(SseStreamState.Evicted, NowMs());
        stream.Events.Clear();
        stream.Signal();
    }

    private long NowMs() => _clock.GetUtcNow().ToUnixTimeMilliseconds();
}
