using Orchestrator.Native;

namespace Orchestrator.Transport;

/// <summary>
/// The only writer of fd 1, the MCP channel. Each frame goes out whole with write(2), unbuffered, so nothing is
/// left in a buffer when the process image is replaced.
/// </summary>
internal sealed class StdoutChannel(int fd = 1)
{
    private readonly Lock _lock = new();

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
