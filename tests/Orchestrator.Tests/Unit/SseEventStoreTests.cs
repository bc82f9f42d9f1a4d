using System.Net.ServerSentEvents;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Orchestrator.Http;
using Orchestrator.Reboot.Snapshot;

#pragma warning disable MCP9006 // the resumable-stream types the store implements

namespace Orchestrator.Tests.Unit;

/// <summary>The kept response streams: ids, the priming event's retry field, resumed reads, the bounds, and what a restart carries.</summary>
public class SseEventStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A read that should have ended fails the test instead of hanging it.</summary>
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    private static SseItem<JsonRpcMessage?> Priming => new(null, "prime");

    private static SseItem<JsonRpcMessage?> Answer(long id) =>
        new(new JsonRpcResponse { Id = new RequestId(id), Result = new JsonObject { ["n"] = id } }, null);

    private static async Task<ISseEventStreamWriter> Open(SseEventStore store, string session = "s1", string stream = "1") =>
        await store.CreateStreamAsync(new SseEventStreamOptions { SessionId = session, StreamId = stream });

    private static async Task<List<SseItem<JsonRpcMessage?>>> ReadAll(ISseEventStreamReader reader)
    {
        var items = new List<SseItem<JsonRpcMessage?>>();
        await foreach (var item in reader.ReadEventsAsync()) items.Add(item);
        return items;
    }

    private static Task<List<SseItem<JsonRpcMessage?>>> ReadAllNow(ISseEventStreamReader reader) => ReadAll(reader).WaitAsync(Guard);

    [Test]
    public async Task Events_get_ids_the_priming_event_the_retry_field_and_a_resumed_read_waits_for_the_answer()
    {
        var store = new SseEventStore(new ManualClock(T0));
        var writer = await Open(store);
        var priming = await writer.WriteEventAsync(Priming);
        await Assert.That(priming.EventId).IsEqualTo("1-1");
        await Assert.That(priming.ReconnectionInterval).IsEqualTo(SseEventStore.ReconnectDelay);

        var reader = (await store.GetStreamReaderAsync(priming.EventId!))!;
        await Assert.That(reader.SessionId).IsEqualTo("s1");
        var reading = ReadAll(reader);
        await Assert.That(reading.IsCompleted).IsFalse(); // nothing after the priming event yet, and the stream is open

        var answer = await writer.WriteEventAsync(Answer(1));
        await Assert.That(answer.EventId).IsEqualTo("1-2");
        await Assert.That(reading.IsCompleted).IsFalse(); // the answer came, the stream has not ended
        await writer.DisposeAsync();
        var read = await reading.WaitAsync(Guard);
        await Assert.That(read.Select(i => i.EventId ?? "")).IsEquivalentTo(["1-2"]);
        await Assert.That(((JsonRpcResponse)read[0].Data!).Id).IsEqualTo(new RequestId(1));

        // An id already written but past the end, another format, an unknown stream: no reader.
        await Assert.That(await store.GetStreamReaderAsync("1-3")).IsNull();
        await Assert.That(await store.GetStreamReaderAsync("2-1")).IsNull();
        await Assert.That(await store.GetStreamReaderAsync("1_1")).IsNull();
    }

    [Test]
    public async Task An_ended_stream_is_forgotten_after_the_retention_window()
    {
        var clock = new ManualClock(T0);
        var store = new SseEventStore(clock);
        var writer = await Open(store);
        var id = (await writer.WriteEventAsync(Priming)).EventId!;
        await writer.DisposeAsync();
        clock.Advance(SseEventStore.Retention);
        await Assert.That(await store.GetStreamReaderAsync(id)).IsNotNull();
        clock.Advance(TimeSpan.FromSeconds(1));
        await Assert.That(await store.GetStreamReaderAsync(id)).IsNull();
        await Assert.That(store.Count).IsEqualTo(0);
    }

    [Test]
    public async Task Past_the_stream_bound_the_oldest_ended_streams_go_first_and_an_open_one_is_kept()
    {
        var store = new SseEventStore(new ManualClock(T0));
        var open = await Open(store, stream: "open");
        var openId = (await open.WriteEventAsync(Priming)).EventId!;
        var firstEnded = "";
        for (var i = 0; i < SseEventStore.MaxStreams; i++)
        {
            var writer = await Open(store, stream: $"r{i}");
            var id = (await writer.WriteEventAsync(Answer(i))).EventId!;
            if (i == 0) firstEnded = id;
            await writer.DisposeAsync();
        }
        await Assert.That(store.Count).IsEqualTo(SseEventStore.MaxStreams);
        await Assert.That(await store.GetStreamReaderAsync(openId)).IsNotNull();
        await Assert.That(await store.GetStreamReaderAsync(firstEnded)).IsNull();
    }

    [Test]
    public async Task Past_the_byte_bound_streams_are_forgotten_and_their_readers_end()
    {
        var store = new SseEventStore(new ManualClock(T0));
        var victim = await Open(store, stream: "victim");
        var victimId = (await victim.WriteEventAsync(Priming)).EventId!;
        var reading = ReadAll((await store.GetStreamReaderAsync(victimId))!);
        var big = new string('x', 1024 * 1024);
        var writer = await Open(store, stream: "big");
        for (var i = 0; i < SseEventStore.MaxBytes / big.Length + 1; i++)
            await writer.WriteEventAsync(new(new JsonRpcNotification { Method = "notifications/message", Params = new JsonObject { ["text"] = big } }, null));
        await Assert.That(store.Bytes).IsLessThanOrEqualTo(SseEventStore.MaxBytes);
        await Assert.That(await reading.WaitAsync(Guard)).IsEmpty(); // ended, not left waiting
        await Assert.That(await store.GetStreamReaderAsync(victimId)).IsNull();
    }

    [Test]
    public async Task Across_a_restart_ended_streams_stay_readable_open_ones_end_interrupted_and_the_restart_call_gets_its_answer()
    {
        var clock = new ManualClock(T0);
        var store = new SseEventStore(clock);
        var done = await Open(store, stream: "1");
        var donePriming = (await done.WriteEventAsync(Priming)).EventId!;
        await done.WriteEventAsync(Answer(1));
        await done.DisposeAsync();
        var cut = await Open(store, stream: "2");
        var cutPriming = (await cut.WriteEventAsync(Priming)).EventId!;
        var restart = await Open(store, stream: "3");
        var restartPriming = (await restart.WriteEventAsync(Priming)).EventId!;

        // Through the snapshot, as the restart carries it.
        var snapshot = new RestartSnapshot
        {
            Pending = new PendingRestart("3", true, true, 30, "manual_request", 0, 0, 1),
            HttpEventStreams = store.Export("s1", "3"),
        };
        var decoded = SnapshotReader.Decode(SnapshotWriter.Encode(snapshot, 42, 0, 1), 42);
        var next = SseEventStore.Import(decoded.HttpEventStreams, clock);

        var replay = await ReadAllNow((await next.GetStreamReaderAsync(donePriming))!);
        await Assert.That(replay.Select(i => i.EventId ?? "")).IsEquivalentTo(["1-2"]);
        await Assert.That(await ReadAllNow((await next.GetStreamReaderAsync(cutPriming))!)).IsEmpty();

        var waiting = ReadAll((await next.GetStreamReaderAsync(restartPriming))!);
        await Assert.That(waiting.IsCompleted).IsFalse();
        var answerId = next.FinishPending("""{"jsonrpc":"2.0","id":3,"result":{}}"""u8);
        await Assert.That(answerId).IsEqualTo("3-2");
        var answered = await waiting.WaitAsync(Guard);
        await Assert.That(answered.Select(i => i.EventId ?? "")).IsEquivalentTo(["3-2"]);

        // New streams never reuse a carried number.
        var fresh = await Open(next, stream: "4");
        await Assert.That((await fresh.WriteEventAsync(Priming)).EventId).IsEqualTo("4-1");
    }

    [Test]
    public async Task A_restart_carries_the_most_recent_streams_within_its_bound()
    {
        var clock = new ManualClock(T0);
        var store = new SseEventStore(clock);
        var ids = new List<string>();
        for (var i = 0; i < SseEventStore.MaxCarriedStreams + 10; i++)
        {
            var writer = await Open(store, stream: $"r{i}");
            ids.Add((await writer.WriteEventAsync(Priming)).EventId!);
            await writer.DisposeAsync();
        }
        var next = SseEventStore.Import(store.Export(null, null), clock);
        await Assert.That(next.Count).IsEqualTo(SseEventStore.MaxCarriedStreams);
        await Assert.That(await next.GetStreamReaderAsync(ids[^1])).IsNotNull();
        await Assert.That(await next.GetStreamReaderAsync(ids[^SseEventStore.MaxCarriedStreams])).IsNotNull();
        await Assert.That(await next.GetStreamReaderAsync(ids[^(SseEventStore.MaxCarriedStreams + 1)])).IsNull();
    }

    [Test]
    public async Task Unreadable_carried_bytes_give_an_empty_store()
    {
        var store = SseEventStore.Import([1, 2, 3], new ManualClock(T0));
        await Assert.That(store.Count).IsEqualTo(0);
    }
}
