using Orchestrator.Native;

namespace Orchestrator.Benchmarks;

/// <summary>
/// <c>orchestrator floor-echo</c>: answers one line on stdin with the same line and exits, touching nothing else.
/// Exec'ing it is the floor of a restart of this binary: kernel exec plus NativeAOT runtime start, no MCP, no SQLite.
/// </summary>
internal static unsafe class FloorEcho
{
    public static int Run()
    {
        var buffer = new byte[64 * 1024];
        var length = 0;
        fixed (byte* p = buffer)
        {
            while (length < buffer.Length)
            {
                var n = Libc.read(0, p + length, (nuint)(buffer.Length - length));
                if (n <= 0) break;
                length += (int)n;
                if (buffer.AsSpan(0, length).Contains((byte)'\n')) break;
            }
        }
        var line = buffer.AsSpan(0, length);
        var newline = line.IndexOf((byte)'\n');
        Libc.WriteAll(1, newline >= 0 ? line[..(newline + 1)] : line);
        return 0;
    }
}
