using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Orchestrator.Native;

/// <summary>
/// Which file a path names, and whether its content may have changed: device and inode say which file it is, size and
/// modification time whether it was rewritten in place. A rename keeps all four; a copy, a replacement or a rewrite
/// changes at least one. Read with statx(2) (glibc 2.28), which follows symbolic links.
/// </summary>
internal readonly record struct FileIdentity(ulong Device, ulong Inode, long Size, long ModifiedNanoseconds)
{
    private const int AtFdCwd = -100;
    private const uint StatxBasicStats = 0x7ff;
    private const int BufferSize = 256; // struct statx

    /// <summary>The identity of the file <paramref name="path"/> names, or null when it names none (or cannot be read: errno in <paramref name="errno"/>).</summary>
    public static unsafe FileIdentity? Of(string path, out int errno)
    {
        var bytes = Encoding.UTF8.GetBytes(path + "\0");
        var buffer = stackalloc byte[BufferSize];
        fixed (byte* p = bytes)
        {
            if (Libc.statx(AtFdCwd, p, 0, StatxBasicStats, buffer) != 0)
            {
                errno = Marshal.GetLastPInvokeError();
                return null;
            }
        }
        errno = 0;
        var stat = new ReadOnlySpan<byte>(buffer, BufferSize);
        // struct statx: stx_ino at 32, stx_size at 40, stx_mtime {i64 sec, u32 nsec} at 112, stx_dev_major/minor at 136/140.
        var inode = BinaryPrimitives.ReadUInt64LittleEndian(stat[32..]);
        var size = BinaryPrimitives.ReadInt64LittleEndian(stat[40..]);
        var modified = BinaryPrimitives.ReadInt64LittleEndian(stat[112..]) * 1_000_000_000 + BinaryPrimitives.ReadUInt32LittleEndian(stat[120..]);
        var device = ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(stat[136..]) << 32) | BinaryPrimitives.ReadUInt32LittleEndian(stat[140..]);
        return new FileIdentity(device, inode, size, modified);
    }

    public static FileIdentity? Of(string path) => Of(path, out _);

    /// <summary>Whether both name the same file (device and inode), whatever happened to its content.</summary>
    public bool IsSameFileAs(FileIdentity other) => Device == other.Device && Inode == other.Inode;

    public override string ToString() => $"device {Device:x}, inode {Inode}, {Size} bytes";
}
