using System.Buffers;
using Orchestrator.Reboot.Snapshot;

namespace Orchestrator.Http;

/// <summary>
/// The kept response streams as they cross a restart: bytes the snapshot carries as one section without reading them
/// (<see cref="SnapshotFormat.Section.HttpEventStreams"/>), encoded and decoded here with the snapshot's primitives.
/// <code>
/// u16 layout (1)   i64 next stream number   i64 the restart call's stream (0: none)   i32 streams, each:
///   i64 number   str session id   str stream id   u8 state (0 open, 1 completed, 2 interrupted)   i32 events, each:
///     str? event type   i32 retry ms (-1: none)   bytes data (UTF-8 JSON-RPC message; empty: priming event)
/// </code>
/// </summary>
internal static class SseStreamHandover
{
    private const ushort Layout = 1;

    public sealed record Carried(long NextNumber, long PendingNumber, IReadOnlyList<(SseEventStream Stream, SseStreamState State)> Streams);

    public static byte[] Encode(long nextNumber, long pendingNumber, IEnumerable<SseEventStream> streams)
    {
        var output = new ArrayBufferWriter<byte>(4096);
        var e = new SnapshotWriter.Encoder(output);
        var list = streams.ToList();
        e.UInt16(Layout);
        e.Int64(nextNumber);
        e.Int64(pendingNumber);
        e.Int32(list.Count);
        foreach (var stream in list)
        {
            e.Int64(stream.Number);
            e.String(stream.SessionId);
            e.String(stream.StreamId);
            e.Byte(stream.State switch { SseStreamState.Open => 0, SseStreamState.Completed => 1, _ => 2 });
            e.Int32(stream.Events.Count);
            foreach (var stored in stream.Events)
            {
                e.NullableString(stored.EventType);
                e.Int32(stored.RetryMs ?? -1);
                e.Raw(stored.Data);
            }
        }
        return output.WrittenSpan.ToArray();
    }

    /// <summary>The carried streams, or null when the bytes are not a layout this build reads or do not hold together.</summary>
    public static Carried? TryDecode(ReadOnlySpan<byte> bytes)
    {
        try
        {
            var d = new SnapshotReader.Decoder(bytes);
            if (d.UInt16() != Layout) return null;
            var nextNumber = d.Int64();
            var pendingNumber = d.Int64();
            var count = d.Int32();
            if (count < 0 || count > SseEventStore.MaxStreams) return null;
            var streams = new List<(SseEventStream, SseStreamState)>(count);
            for (var i = 0; i < count; i++)
            {
                var stream = new SseEventStream(d.Int64(), d.String(), d.String());
                var state = d.Bytes(1)[0] switch { 0 => SseStreamState.Open, 1 => SseStreamState.Completed, _ => SseStreamState.Interrupted };
                var events = d.Int32();
                if (events < 0 || stream.Number <= 0 || stream.Number >= nextNumber) return null;
                for (var j = 0; j < events; j++)
                {
                    var eventType = d.NullableString();
                    var retry = d.Int32();
                    stream.Append(new SseStoredEvent(eventType, d.Bytes(d.Int32()).ToArray(), retry < 0 ? null : retry));
                }
                streams.Add((stream, state));
            }
            return d.AtEnd ? new Carried(nextNumber, pendingNumber, streams) : null;
        }
        catch (SnapshotCorruptException)
        {
            return null;
        }
    }
}
