using Orchestrator.Native;

namespace Orchestrator.Transport;

/// <summary>
/// The only writer of fd 1, the MCP channel. Each frame goes out whole with write(2), unbuffered, so nothing is
/// left in a buffer when the process image is replaced.
/// </summary>
internal sealed class StdoutChannel(int fd = 1)
{
    /// <summary>
    /// The pipe size asked for: a large answer (a 100 KB artifact) then goes out in one write, instead of 64 KB pieces each
    /// waiting for the client to read the one before (less work; bench resources cannot tell the difference on a 2-core VM).
    /// </summary>
    public const int PipeBytes = 1 << 20;

    private readonly Lock _lock = new();

    /// <summary>
    /// Widens the client's pipe to <see cref="PipeBytes"/> when stdout is one (not a file or a terminal) and smaller: one
    /// <c>fcntl</c> per image. Refused (past <c>/proc/sys/fs/pipe-max-size</c>, or the user's pipe quota), it stays as it is.
    /// </summary>
    public void WidenPipe()
    {
        var size = Libc.fcntl(fd, Libc.F_GETPIPE_SZ, 0);
        if (size > 0 && size < PipeBytes) Libc.fcntl(fd, Libc.F_SETPIPE_SZ, PipeBytes);
    }

    public void WriteFrame(ReadOnlySpan<byte> json)
    {
        lock (_lock)
        {
            // One write for frame and newline keeps frames from interleaving with a concurrent writer elsewhere.
            var frame = json.Length < 4096 ? stackalloc byte[json.Length + 1] : new byte[json.Length + 1];
            json.CopyTo(frame);
            frame[^1] = (byte)'\n';
            Libc.WriteAll(fd, frame);
        }
    }
}
