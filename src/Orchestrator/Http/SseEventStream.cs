namespace Orchestrator.Http;

/// <summary>
/// One response stream kept by the <see cref="SseEventStore"/>: the events written to it, in order (event <c>n</c> has
/// sequence <c>n</c>, from 1), and whether more may come. Changed only under the store's lock; readers wait on
/// <see cref="Changed"/>, which completes (and is replaced) whenever an event is added or the stream ends.
/// </summary>
internal sealed class SseEventStream(long number, string sessionId, string streamId)
{
    /// <summary>What a stream costs beyond its events' bytes, counted against the store's byte budget.</summary>
    public const int Overhead = 256;

    /// <summary>What an event costs beyond its data, counted against the store's byte budget.</summary>
    public const int EventOverhead = 64;

    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public long Number { get; } = number;
    public string SessionId { get; } = sessionId;

    /// <summary>The SDK's name of the stream within its session: the id of the request it answers.</summary>
    public string StreamId { get; } = streamId;

    public List<SseStoredEvent> Events { get; } = [];

    /// <summary>The sequence of the last event written, kept or not: ids stay unique after the store forgot the stream.</summary>
    public int LastSequence { get; private set; }

    public SseStreamState State { get; private set; } = SseStreamState.Open;

    /// <summary>When the stream stopped being open (store clock, ms); the retention window counts from here.</summary>
    public long EndedAtMs { get; private set; }

    /// <summary>The bytes this stream holds, as the byte budget counts them.</summary>
    public long Bytes { get; set; } = Overhead + sessionId.Length * 2L + streamId.Length * 2L;

    public Task Changed => _changed.Task;

    public SseEventId IdOf(int sequence) => new(Number, sequence);

    public void Append(SseStoredEvent stored)
    {
        Events.Add(stored);
        LastSequence++;
        Bytes += stored.Data.Length + EventOverhead;
        Signal();
    }

    /// <summary>An event written after the store forgot this stream: it takes its sequence, and is not kept.</summary>
    public void Unkept() => LastSequence++;

    /// <summary>No more events will come: the answer was written, the call was lost to a restart, or the store gave the stream up.</summary>
    public void End(SseStreamState state, long nowMs)
    {
        if (State != SseStreamState.Open) return;
        State = state;
        EndedAtMs = nowMs;
        Signal();
    }

    /// <summary>Wakes the readers waiting for this stream to change (new event, end, or the store ending every wait).</summary>
    public void Signal() => Interlocked.Exchange(ref _changed, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}

internal enum SseStreamState
{
    /// <summary>The request is being served: more events may come.</summary>
    Open,

    /// <summary>The request was answered: every event is here.</summary>
    Completed,

    /// <summary>The call was lost before its answer (a restart that did not wait for it): nothing more will come.</summary>
    Interrupted,

    /// <summary>Forgotten by the store to stay within its bounds: its readers stop, new ones are refused.</summary>
    Evicted,
}

/// <summary>One event as kept: its SSE type, its data (a JSON-RPC message in UTF-8; empty for a priming event) and its retry field.</summary>
internal sealed record SseStoredEvent(string? EventType, byte[] Data, int? RetryMs);
