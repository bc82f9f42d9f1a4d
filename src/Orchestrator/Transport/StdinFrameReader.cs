using System.Runtime.InteropServices;
using Orchestrator.Native;

namespace Orchestrator.Transport;

/// <summary>
/// Reads newline-delimited JSON-RPC frames from fd 0 with poll+read so that it never holds bytes it has not
/// accounted for. <see cref="Freeze"/> stops it at a frame boundary; the bytes it has read but not dispatched
/// are then available to the restart snapshot, and everything else stays in the pipe for the next image.
/// While <see cref="HasRoom"/> says no (too many answers owed), it dispatches and reads nothing: what the client
/// sends waits in the pipe, and the client feels the backpressure of a full pipe.
/// </summary>
internal sealed unsafe class StdinFrameReader
{
    private const int ReadChunk = 64 * 1024;
    public const int DefaultMaxFrameBytes = 16 * 1024 * 1024;

    private readonly int _fd;
    private readonly object _lock = new(); // Monitor.Wait/Pulse park the reader while frozen or without room
    private byte[] _buffer;
    private int _start;
    private int _end;
    private int _searched; // bytes after _start known to hold no newline: each byte is searched once
    private bool _frozen;
    private bool _discardingOversizedFrame;
    private int _waitingForRoom; // 1 while the reader waits for HasRoom (read with a full fence by RoomAvailable)

    public StdinFrameReader(ReadOnlySpan<byte> replay, int fd = 0, int maxFrameBytes = DefaultMaxFrameBytes)
    {
        _fd = fd;
        MaxFrameBytes = maxFrameBytes;
        _buffer = new byte[Math.Max(ReadChunk, replay.Length + ReadChunk)];
        replay.CopyTo(_buffer);
        _end = replay.Length;
    }

    /// <summary>The longest frame accepted; a longer line is reported (<see cref="OnOversizedFrame"/>) and skipped.</summary>
    public int MaxFrameBytes { get; }

    /// <summary>Called, under the reader's lock, for every complete frame (without its newline).</summary>
    public required Action<ReadOnlyMemory<byte>> OnFrame { get; init; }

    /// <summary>Called once when the input ends (the client closed our stdin).</summary>
    public required Action OnEndOfInput { get; init; }

    /// <summary>
    /// Called, under the reader's lock, once for each frame longer than <see cref="MaxFrameBytes"/>, with its first
    /// bytes (at least <see cref="MaxFrameBytes"/> of them); the rest of it is skipped up to its newline.
    /// </summary>
    public required Action<ReadOnlyMemory<byte>> OnOversizedFrame { get; init; }

    /// <summary>
    /// Whether another frame may be dispatched now; when not, the reader waits (reading nothing more) until
    /// <see cref="RoomAvailable"/> is called. Called under the reader's lock.
    /// </summary>
    public Func<bool> HasRoom { get; init; } = static () => true;

    /// <summary>Called, under the reader's lock, each time the reader stops for want of room (see <see cref="HasRoom"/>).</summary>
    public Action OnPausedForRoom { get; init; } = static () => { };

    public void Start()
    {
        var thread = new Thread(Run) { IsBackground = true, Name = "stdin-frames" };
        thread.Start();
    }

    /// <summary>Stops dispatching and reading; returns once no frame is being dispatched.</summary>
    public void Freeze()
    {
        lock (_lock) _frozen = true;
    }

    /// <summary>Resumes; complete frames already buffered are dispatched now, not when more input happens to arrive.</summary>
    public void Unfreeze()
    {
        lock (_lock)
        {
            _frozen = false;
            DispatchCompleteFrames();
            Monitor.PulseAll(_lock);
        }
    }

    /// <summary>Wakes the reader if it waits for <see cref="HasRoom"/>; cheap when it does not (no lock taken).</summary>
    public void RoomAvailable()
    {
        // The full fence of the exchange pairs with the one the reader sets before it re-checks HasRoom: either it sees
        // the room, or this sees it waiting.
        if (Interlocked.CompareExchange(ref _waitingForRoom, 0, 0) == 0) return;
        lock (_lock) Monitor.PulseAll(_lock);
    }

    /// <summary>A copy of the bytes read from the pipe but not dispatched (only meaningful while frozen).</summary>
    public byte[] CopyUnconsumed()
    {
        lock (_lock) return _buffer.AsSpan(_start, _end - _start).ToArray();
    }

    private void Run()
    {
        while (true)
        {
            // Frames already buffered (replayed from a snapshot, or read with others) are dispatched before anything
            // new is read; nothing is read while frozen or while the answers owed are at their limit.
            lock (_lock) WaitUntilReadingMayGoOn();
            if (!WaitReadable()) { OnEndOfInput(); return; }
            lock (_lock)
            {
                if (_frozen || !HasRoom()) continue;
                var n = ReadOnce();
                if (n == 0) { OnEndOfInput(); return; }
            }
        }
    }

    /// <summary>Dispatches what is buffered, and waits (releasing the lock) while frozen or without room.</summary>
    private void WaitUntilReadingMayGoOn()
    {
        while (true)
        {
            var heldForRoom = DispatchCompleteFrames();
            if (!_frozen && !heldForRoom && HasRoom()) return;
            Interlocked.Exchange(ref _waitingForRoom, 1);
            if (!_frozen && !HasRoom()) OnPausedForRoom();
            if (_frozen || !HasRoom()) Monitor.Wait(_lock);
            Interlocked.Exchange(ref _waitingForRoom, 0);
        }
    }

    private bool WaitReadable()
    {
        var pfd = new Libc.PollFd { Fd = _fd, Events = Libc.POLLIN };
        while (true)
        {
            var rc = Libc.poll(&pfd, 1, -1);
            if (rc < 0)
            {
                if (Marshal.GetLastPInvokeError() == Libc.EINTR) continue;
                return false;
            }
            if ((pfd.Revents & Libc.POLLNVAL) != 0) return false;
            return true; // readable, or hung up (read will then return 0 after the remaining bytes)
        }
    }

    /// <summary>One read(2) into the buffer: &gt;0 bytes read, 0 end of input, -1 nothing this time.</summary>
    private int ReadOnce()
    {
        EnsureSpace();
        fixed (byte* p = &_buffer[_end])
        {
            var n = Libc.read(_fd, p, (nuint)(_buffer.Length - _end));
            if (n < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                return errno is Libc.EINTR or Libc.EAGAIN ? -1 : 0;
            }
            _end += (int)n;
            return (int)n;
        }
    }

    private void EnsureSpace()
    {
        if (_buffer.Length - _end >= ReadChunk / 2) return;
        var live = _end - _start;
        if (_start > 0 && _buffer.Length - live >= ReadChunk)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, live);
        }
        else
        {
            var grown = new byte[Math.Max(_buffer.Length * 2, live + ReadChunk)];
            Buffer.BlockCopy(_buffer, _start, grown, 0, live);
            _buffer = grown;
        }
        _start = 0;
        _end = live;
    }

    /// <summary>Dispatches the complete frames buffered; true when one is left there for want of room.</summary>
    private bool DispatchCompleteFrames()
    {
        while (!_frozen)
        {
            var live = _buffer.AsSpan(_start, _end - _start);
            var found = live[_searched..].IndexOf((byte)'\n');
            var newline = found < 0 ? -1 : _searched + found;
            if (_discardingOversizedFrame)
            {
                // The rest of a frame already reported: skipped, up to and with its newline.
                _searched = 0;
                if (newline < 0) { _start = _end; return false; }
                _start += newline + 1;
                _discardingOversizedFrame = false;
                continue;
            }
            if (newline < 0)
            {
                _searched = live.Length;
                if (live.Length > MaxFrameBytes)
                {
                    // Reported as soon as it is known to be too long; the bytes so far are dropped, the rest skipped.
                    OnOversizedFrame(new ReadOnlyMemory<byte>(_buffer, _start, live.Length));
                    _start = _end;
                    _searched = 0;
                    _discardingOversizedFrame = true;
                }
                return false;
            }
            if (!HasRoom()) return true; // the frame stays buffered until answers have been written
            var frame = new ReadOnlyMemory<byte>(_buffer, _start, newline);
            _start += newline + 1;
            _searched = 0;
            if (frame.Length > MaxFrameBytes) { OnOversizedFrame(frame); continue; }
            if (frame.Length > 0 && frame.Span[^1] == (byte)'\r') frame = frame[..^1];
            if (frame.Length > 0) OnFrame(frame);
        }
        return false;
    }
}
