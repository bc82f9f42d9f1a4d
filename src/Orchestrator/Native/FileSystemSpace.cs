using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Orchestrator.Native;

/// <summary>What statvfs(2) says of the file system holding a path: the bytes an unprivileged writer may still use, and whether it is mounted read-only.</summary>
internal readonly record struct FileSystemSpace(long AvailableBytes, bool ReadOnly)
{
    private const int BufferSize = 112; // struct statvfs on x86-64
    private const ulong ST_RDONLY = 1;

    /// <summary>The file system of <paramref name="path"/>; null when it cannot be examined (errno in <paramref name="errno"/>).</summary>
    public static unsafe FileSystemSpace? Of(string path, out int errno)
    {
        var bytes = Encoding.UTF8.GetBytes(path + "\0");
        var buffer = stackalloc byte[BufferSize];
        fixed (byte* p = bytes)
        {
            if (Libc.statvfs(p, buffer) != 0)
            {
                errno = Marshal.GetLastPInvokeError();
                return null;
            }
        }
        errno = 0;
        var stat = new ReadOnlySpan<byte>(buffer, BufferSize);
        // f_frsize at 8, f_bavail at 32, f_flag at 72.
        var fragment = BinaryPrimitives.ReadUInt64LittleEndian(stat[8..]);
        var available = BinaryPrimitives.ReadUInt64LittleEndian(stat[32..]);
        var flags = BinaryPrimitives.ReadUInt64LittleEndian(stat[72..]);
        var bytesAvailable = available > (ulong)long.MaxValue / Math.Max(fragment, 1) ? long.MaxValue : (long)(available * fragment);
        return new FileSystemSpace(bytesAvailable, (flags & ST_RDONLY) != 0);
    }
}
