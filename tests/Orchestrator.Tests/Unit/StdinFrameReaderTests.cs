using System.IO.Pipes;
using System.Text;
using Orchestrator.Transport;

namespace Orchestrator.Tests.Unit;

/// <summary>
/// The stdin frame reader over a real anonymous pipe. Every wait is on a signal raised by the reader's callbacks
/// (a bounded wait only turns a hang into a failure); nothing sleeps.
/// </summary>
public class StdinFrameReaderTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private sealed class PipeReader : IAsyncDisposable
    {
        private readonly AnonymousPipeServerStream _writer = new(PipeDirection.Out, HandleInheritability.None);
        private readonly SafePipeHandleHolder _read;
        private readonly Lock _lock = new();
        private readonly List<string> _frames = [];
        private readonly SemaphoreSlim _frameArrived = new(0);
        private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private bool _writerClosed;
        private int _endCount;
        private int _oversizedCount;

        public PipeReader(string replay = "", Action<PipeReader, string>? onFrame = null)
        {
            _read = new SafePipeHandleHolder(_writer.ClientSafePipeHandle);
            Reader = new StdinFrameReader(Encoding.UTF8.GetBytes(replay), _read.Fd)
            {
                OnFrame = frame =>
                {
                    var text = Encoding.UTF8.GetString(frame.Span);
                    lock (_lock) _frames.Add(text);
                    onFrame?.Invoke(this, text);
                    _frameArrived.Release();
                },
                OnEndOfInput = () =>
                {
                    Interlocked.Increment(ref _endCount);
                    _ended.TrySetResult();
                },
                OnOversizedFrame = start =>
                {
                    Interlocked.Increment(ref _oversizedCount);
                    OversizedStart = Encoding.UTF8.GetString(start.Span[..Math.Min(start.Length, 64)]);
                },
                HasRoom = () => HasRoom(),
            };
        }

        public StdinFrameReader Reader { get; }
        public Func<bool> HasRoom { get; set; } = () => true;
        public string? OversizedStart { get; private set; }
        public int EndCount => Volatile.Read(ref _endCount);
        public int OversizedCount => Volatile.Read(ref _oversizedCount);
        public string[] Frames { get { lock (_lock) return _frames.ToArray(); } }
        public string Unconsumed => Encoding.UTF8.GetString(Reader.CopyUnconsumed());

        /// <summary>One write(2): atomic for the small payloads used here (below PIPE_BUF).</summary>
        public void Write(string text)
        {
            _writer.Write(Encoding.UTF8.GetBytes(text));
            _writer.Flush();
        }

        public void WriteBytes(ReadOnlySpan<byte> bytes) => _writer.Write(bytes);

        /// <summary>Waits until <paramref name="count"/> more frames were dispatched; returns all frames so far.</summary>
        public async Task<string[]> NextFrames(int count)
        {
            for (var i = 0; i < count; i++)
                if (!await _frameArrived.WaitAsync(Patience))
                    throw new TimeoutException($"frame {i + 1} of {count} never came; frames so far: [{string.Join(", ", Frames)}]");
            return Frames;
        }

        public void CloseWriter()
        {
            if (_writerClosed) return;
            _writerClosed = true;
            _writer.Dispose();
        }

        public async Task EndOfInput() => await _ended.Task.WaitAsync(Patience);

        public async ValueTask DisposeAsync()
        {
            // Let the reader thread finish on end of input before the read end is closed under it.
            Reader.Unfreeze();
            CloseWriter();
            try { await _ended.Task.WaitAsync(Patience); } catch (TimeoutException) { }
            _read.Dispose();
            _frameArrived.Dispose();
        }
    }

    private sealed class SafePipeHandleHolder(Microsoft.Win32.SafeHandles.SafePipeHandle handle) : IDisposable
    {
        public int Fd { get; } = (int)handle.DangerousGetHandle();
        public void Dispose() => handle.Dispose();
    }

    [Test]
    public async Task Piped_frames_are_dispatched_in_order_and_end_of_input_is_reported_once()
    {
        await using var pipe = new PipeReader();
        pipe.Reader.Start();
        pipe.Write("{\"id\":1}\n{\"id\":2}\n");
        await Assert.That(await pipe.NextFrames(2)).IsEquivalentTo(["{\"id\":1}", "{\"id\":2}"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        pipe.Write("{\"id\":3}\n");
        await Assert.That((await pipe.NextFrames(1))[^1]).IsEqualTo("{\"id\":3}");
        await Assert.That(pipe.EndCount).IsEqualTo(0);
        pipe.CloseWriter();
        await pipe.EndOfInput();
        await Assert.That(pipe.EndCount).IsEqualTo(1);
        await Assert.That(pipe.Frames.Length).IsEqualTo(3);
    }

    [Test]
    public async Task Replayed_frames_come_first_and_a_replayed_partial_frame_is_completed_by_the_pipe()
    {
        await using var pipe = new PipeReader(replay: "r1\nr2\nr3-part");
        pipe.Reader.Start();
        // The replayed complete frames are dispatched before anything is written to the pipe.
        await Assert.That(await pipe.NextFrames(2)).IsEquivalentTo(["r1", "r2"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(pipe.Unconsumed).IsEqualTo("r3-part");
        pipe.Write("-tail\np1\n");
        await Assert.That(await pipe.NextFrames(2)).IsEquivalentTo(["r1", "r2", "r3-part-tail", "p1"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
    }

    [Test]
    public async Task A_frame_split_across_writes_is_joined()
    {
        await using var pipe = new PipeReader();
        pipe.Reader.Start();
        pipe.Write("first\n{\"method\":\"to");
        await pipe.NextFrames(1); // "first" dispatched: the read that carried the split frame's head is done
        await Assert.That(pipe.Unconsumed).IsEqualTo("{\"method\":\"to");
        pipe.Write("ols/list\"");
        pipe.Write("}\n");
        await Assert.That(await pipe.NextFrames(1)).IsEquivalentTo(["first", "{\"method\":\"tools/list\"}"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(pipe.Unconsumed).IsEqualTo("");
    }

    [Test]
    public async Task Multibyte_utf8_split_between_writes_arrives_intact()
    {
        await using var pipe = new PipeReader();
        pipe.Reader.Start();
        var bytes = Encoding.UTF8.GetBytes("{\"r\":\"ünï✓\"}\n");
        pipe.Write("a\n");
        await pipe.NextFrames(1);
        pipe.WriteBytes(bytes.AsSpan(0, 8)); // ends inside a multi-byte character
        pipe.WriteBytes(bytes.AsSpan(8));
        await Assert.That((await pipe.NextFrames(1))[^1]).IsEqualTo("{\"r\":\"ünï✓\"}");
    }

    [Test]
    public async Task Crlf_is_trimmed_and_blank_lines_are_skipped()
    {
        await using var pipe = new PipeReader();
        pipe.Reader.Start();
        pipe.Write("one\r\n\n\r\n\n  \na\rb\ntwo\r\n");
        pipe.CloseWriter();
        await pipe.EndOfInput(); // everything written was read before end of input
        await Assert.That(pipe.Frames).IsEquivalentTo(["one", "  ", "a\rb", "two"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(pipe.EndCount).IsEqualTo(1);
    }

    [Test]
    public async Task Replayed_crlf_and_blank_lines_are_handled_like_piped_ones()
    {
        await using var pipe = new PipeReader(replay: "\r\n\nx\r\n\ny\n");
        pipe.Reader.Start();
        await Assert.That(await pipe.NextFrames(2)).IsEquivalentTo(["x", "y"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
    }

    [Test]
    public async Task End_of_input_with_nothing_written_is_reported_once()
    {
        await using var pipe = new PipeReader();
        pipe.Reader.Start();
        pipe.CloseWriter();
        await pipe.EndOfInput();
        await Assert.That(pipe.EndCount).IsEqualTo(1);
        await Assert.That(pipe.Frames).IsEmpty();
    }

    [Test]
    public async Task Freezing_from_outside_keeps_later_input_in_the_pipe_until_unfrozen()
    {
        await using var pipe = new PipeReader();
        pipe.Reader.Start();
        pipe.Write("a\nb\npartial");
        await pipe.NextFrames(2);
        pipe.Reader.Freeze();
        pipe.Write("-rest\nc\n");
        // Only the partial frame read before the freeze is the reader's; the new bytes stay in the pipe.
        await Assert.That(pipe.Unconsumed).IsEqualTo("partial");
        await Assert.That(pipe.Frames).IsEquivalentTo(["a", "b"], TUnit.Assertions.Enums.CollectionOrdering.Matching);

        pipe.Reader.Unfreeze();
        await Assert.That(await pipe.NextFrames(2)).IsEquivalentTo(["a", "b", "partial-rest", "c"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(pipe.Unconsumed).IsEqualTo("");
    }

    [Test]
    public async Task Freezing_during_a_dispatch_stops_at_that_frame_and_leaves_the_rest_unconsumed()
    {
        await using var pipe = new PipeReader(onFrame: (p, frame) => { if (frame == "x") p.Reader.Freeze(); });
        pipe.Reader.Start();
        pipe.Write("x\ny\nz\n");
        await Assert.That(await pipe.NextFrames(1)).IsEquivalentTo(["x"]);
        await Assert.That(pipe.Unconsumed).IsEqualTo("y\nz\n");

        pipe.Write("w\n"); // arrives while frozen
        await Assert.That(pipe.Unconsumed).IsEqualTo("y\nz\n");
        await Assert.That(pipe.Frames).IsEquivalentTo(["x"]);

        pipe.Reader.Unfreeze();
        await Assert.That(await pipe.NextFrames(3)).IsEquivalentTo(["x", "y", "z", "w"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
    }

    [Test]
    public async Task Unfreezing_dispatches_buffered_frames_even_when_no_more_input_arrives()
    {
        await using var pipe = new PipeReader(onFrame: (p, frame) => { if (frame == "x") p.Reader.Freeze(); });
        pipe.Reader.Start();
        pipe.Write("x\ny\n");
        await Assert.That(await pipe.NextFrames(1)).IsEquivalentTo(["x"]);
        pipe.Reader.Unfreeze(); // no further write: "y" must not wait for one
        await Assert.That(await pipe.NextFrames(1)).IsEquivalentTo(["x", "y"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
    }

    [Test]
    public async Task Freezing_before_start_holds_back_the_replay()
    {
        await using var pipe = new PipeReader(replay: "q1\nq2\n");
        pipe.Reader.Freeze();
        pipe.Reader.Start();
        await Assert.That(pipe.Unconsumed).IsEqualTo("q1\nq2\n");
        pipe.Write("q3\n"); // new input also waits
        await Assert.That(pipe.Unconsumed).IsEqualTo("q1\nq2\n");
        await Assert.That(pipe.Frames).IsEmpty();
        pipe.Reader.Unfreeze();
        await Assert.That(await pipe.NextFrames(3)).IsEquivalentTo(["q1", "q2", "q3"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
    }

    [Test]
    public async Task An_oversized_frame_is_reported_once_and_skipped_and_the_next_frame_still_arrives()
    {
        await using var pipe = new PipeReader();
        pipe.Reader.Start();
        pipe.Write("before\n");
        await pipe.NextFrames(1);
        var chunk = new byte[1 << 20];
        Array.Fill(chunk, (byte)'x');
        var writer = Task.Run(() =>
        {
            for (var i = 0; i < pipe.Reader.MaxFrameBytes / chunk.Length + 2; i++) pipe.WriteBytes(chunk); // 18 MiB, no newline
            pipe.Write("\nafter\n");
        });
        var frames = await pipe.NextFrames(1);
        await writer.WaitAsync(Patience);
        await Assert.That(frames).IsEquivalentTo(["before", "after"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(pipe.OversizedCount).IsEqualTo(1);
    }

    [Test]
    public async Task Many_small_frames_in_one_burst_all_arrive_in_order()
    {
        await using var pipe = new PipeReader();
        pipe.Reader.Start();
        var expected = Enumerable.Range(0, 20_000).Select(i => $"{{\"id\":{i}}}").ToArray();
        var payload = Encoding.UTF8.GetBytes(string.Join("\n", expected) + "\n");
        var writer = Task.Run(() => pipe.WriteBytes(payload)); // ~250 KB: several reads, frames split at arbitrary points
        await pipe.NextFrames(expected.Length);
        await writer.WaitAsync(Patience);
        await Assert.That(pipe.Frames).IsEquivalentTo(expected, TUnit.Assertions.Enums.CollectionOrdering.Matching);
    }

    [Test]
    public async Task Without_room_buffered_frames_wait_and_are_dispatched_once_room_is_announced()
    {
        var room = 2; // frames that may still be dispatched
        await using var pipe = new PipeReader(onFrame: (_, _) => Interlocked.Decrement(ref room));
        pipe.HasRoom = () => Volatile.Read(ref room) > 0;
        pipe.Reader.Start();
        pipe.Write("a\nb\nc\nd\n");
        await pipe.NextFrames(2);

        pipe.Reader.Freeze(); // returns once no frame is being dispatched: a snapshot of the reader's state
        await Assert.That(pipe.Frames).IsEquivalentTo(["a", "b"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(pipe.Unconsumed).IsEqualTo("c\nd\n");
        pipe.Reader.Unfreeze(); // still no room: nothing more is dispatched
        await Assert.That(pipe.Frames.Length).IsEqualTo(2);

        Interlocked.Exchange(ref room, 10);
        pipe.Reader.RoomAvailable();
        await Assert.That(await pipe.NextFrames(2)).IsEquivalentTo(["a", "b", "c", "d"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
    }

    [Test]
    public async Task Without_room_nothing_more_is_read_from_the_pipe()
    {
        var room = 1;
        await using var pipe = new PipeReader(onFrame: (_, _) => Interlocked.Decrement(ref room));
        pipe.HasRoom = () => Volatile.Read(ref room) > 0;
        pipe.Reader.Start();
        pipe.Write("a\n");
        await pipe.NextFrames(1); // read alone (b is written after), dispatched: no room left
        pipe.Write("b\n");

        pipe.Reader.Freeze();
        await Assert.That(pipe.Unconsumed).IsEqualTo(""); // b stays in the pipe: the client feels the backpressure
        pipe.Reader.Unfreeze();
        Interlocked.Exchange(ref room, 1);
        pipe.Reader.RoomAvailable();
        await Assert.That(await pipe.NextFrames(1)).IsEquivalentTo(["a", "b"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
    }

    [Test]
    public async Task An_oversized_frame_is_reported_with_its_first_bytes()
    {
        await using var pipe = new PipeReader();
        pipe.Reader.Start();
        var head = "{\"jsonrpc\":\"2.0\",\"id\":42,\"method\":\"tools/call\",\"params\":\"";
        var writer = Task.Run(() =>
        {
            pipe.WriteBytes(Encoding.UTF8.GetBytes(head));
            var chunk = new byte[1 << 20];
            Array.Fill(chunk, (byte)'x');
            for (var i = 0; i < pipe.Reader.MaxFrameBytes / chunk.Length + 1; i++) pipe.WriteBytes(chunk);
            pipe.Write("\"}\nafter\n");
        });
        await Assert.That(await pipe.NextFrames(1)).IsEquivalentTo(["after"]);
        await writer.WaitAsync(Patience);
        await Assert.That(pipe.OversizedCount).IsEqualTo(1);
        await Assert.That(pipe.OversizedStart).StartsWith(head);
    }
}
