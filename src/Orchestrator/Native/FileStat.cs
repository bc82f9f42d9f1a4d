using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Orchestrator.Native;

/// <summary>
/// What the kernel says about a file (<c>statx</c>, following symbolic links): which file it is, its owner and mode, when
/// its content and its metadata last changed. .NET's <see cref="FileSystemInfo"/> reports a symbolic link's own times
/// and neither owner nor inode, so a secret behind a link (a mounted secret swapped by renaming its directory) would
/// look unchanged. Two values are equal exactly when nothing that statx reports changed.
/// </summary>
internal readonly record struct FileStat(ulong Device, ulong Inode, long Size, int Mode, uint Owner, long ModifiedNs, long ChangedNs)
{
    private const int AtFdCwd = -100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxBasicStats = 0x7ff;
    private const int BufferSize = 256; // sizeof(struct statx), the same on every architecture
    private const int FileTypeMask = 0xF000;
    private const int DirectoryType = 0x4000;

    /// <summary>The permission bits (<c>0777</c>, plus setuid, setgid and sticky).</summary>
    public UnixFileMode Permissions => (UnixFileMode)(Mode & 0xFFF);

    public bool IsDirectory => (Mode & FileTypeMask) == DirectoryType;

    /// <summary>The file <paramref name="path"/> names (a link followed); null when there is none or it cannot be looked at.</summary>
    public static FileStat? Of(string path) => Of(path, out _);

    /// <summary>The same, with the errno of a failed look (0 on success).</summary>
    public static unsafe FileStat? Of(string path, out int errno)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* p = bytes)
        {
            var stat = Query(AtFdCwd, p, 0);
            errno = stat is null ? Marshal.GetLastPInvokeError() : 0;
            return stat;
        }
    }

    /// <summary>The file <paramref name="handle"/> has open: exactly the one being read.</summary>
    public static unsafe FileStat? Of(SafeHandle handle)
    {
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            byte empty = 0;
            return Query((int)handle.DangerousGetHandle(), &empty, AtEmptyPath);
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    private static unsafe FileStat? Query(int directory, byte* path, int flags)
    {
        var buffer = stackalloc byte[BufferSize];
        if (Libc.statx(directory, path, flags, StatxBasicStats, buffer) != 0) return null;
        var b = new ReadOnlySpan<byte>(buffer, BufferSize);
        return new FileStat(
            Device: ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(b[136..]) << 32) | BinaryPrimitives.ReadUInt32LittleEndian(b[140..]),
            Inode: BinaryPrimitives.ReadUInt64LittleEndian(b[32..]),
            Size: BinaryPrimitives.ReadInt64LittleEndian(b[40..]),
            Mode: BinaryPrimitives.ReadUInt16LittleEndian(b[28..]),
            Owner: BinaryPrimitives.ReadUInt32LittleEndian(b[20..]),
            ModifiedNs: Time(b[112..]),
            ChangedNs: Time(b[96..]));
    }

    /// <summary>A <c>statx_timestamp</c> (seconds, then nanoseconds) in nanoseconds since the epoch.</summary>
    private static long Time(ReadOnlySpan<byte> timestamp) =>
        BinaryPrimitives.ReadInt64LittleEndian(timestamp) * 1_000_000_000L + BinaryPrimitives.ReadUInt32LittleEndian(timestamp[8..]);
}
