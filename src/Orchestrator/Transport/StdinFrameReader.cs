using System.Runtime.InteropServices;
using Orchestrator.Native;

namespace Orchestrator.Transport;

/// <summary>
/// Reads newline-delimited JSON-RPC frames from fd 0 with poll+read so that it never holds bytes it has not
/// accounted for. <see cref="Freeze"/> stops it at a frame boundary; the bytes it has read but not dispatched
/// are then available to the restart snapshot, and everything else stays in the pipe for the next image.
/// </summary>
internal sealed unsafe class StdinFrameReader
{
    private const int ReadChunk = 64 * 1024;
    public const int MaxFrameBytes = 16 * 1024 * 1024;

    private readonly int _fd;
    private readonly object _lock = new(); // Monitor.Wait/Pulse park the reader while frozen
    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _frozen;
    private bool _discardingOversizedFrame;

    public StdinFrameReader(ReadOnlySpan<byte> replay, int fd = 0)
    {
        _fd = fd;
        _buffer = new byte[Math.Max(ReadChunk, replay.Length + ReadChunk)];
        replay.CopyTo(_buffer);
        _end = replay.Length;
    }

    /// <summary>Called, under the reader's lock, for every complete frame (without its newline).</summary>
    public required Action<ReadOnlyMemory<byte>> OnFrame { get; init; }

    /// <summary>Called once when the input ends (the client closed our stdin).</summary>
    public required Action OnEndOfInput { get; init; }

    /// <summary>Called when a frame exceeds <see cref="MaxFrameBytes"/>; the frame is skipped.</summary>
    public required Action OnOversizedFrame { get; init; }

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

    /// <summary>A copy of the bytes read from the pipe but not dispatched (only meaningful while frozen).</summary>
    public byte[] CopyUnconsumed()
    {
        lock (_lock) return _buffer.AsSpan(_start, _end - _start).ToArray();
    }

    private void Run()
    {
        // Frames replayed from a snapshot are dispatched before anything new is read.
        lock (_lock) DispatchCompleteFrames();
        while (true)
        {
            if (!WaitReadable()) { OnEndOfInput(); return; }
            lock (_lock)
            {
                while (_frozen) Monitor.Wait(_lock);
                var n = ReadOnce();
                if (n == 0) { OnEndOfInput(); return; }
                if (n > 0) DispatchCompleteFrames();
            }
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

    private void DispatchCompleteFrames()
    {
        while (!_frozen)
        {
            var live = _buffer.AsSpan(_start, _end - _start);
            var newline = live.IndexOf((byte)'\n');
            if (newline < 0)
            {
                if (live.Length > MaxFrameBytes)
                {
                    // Drop the oversized frame's bytes so far and the rest of it up to its newline.
                    _start = _end;
                    if (!_discardingOversizedFrame) OnOversizedFrame();
                    _discardingOversizedFrame = true;
                }
                return;
            }
            var frame = new ReadOnlyMemory<byte>(_buffer, _start, newline);
            _start += newline + 1;
            if (_discardingOversizedFrame) { _discardingOversizedFrame = false; continue; }
            if (frame.Length > 0 && frame.Span[^1] == (byte)'\r') frame = frame[..^1];
            if (frame.Length > 0) OnFrame(frame);
        }
    }
}
