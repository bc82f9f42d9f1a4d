namespace Orchestrator.Native;

/// <summary>
/// Which file a path names, and whether its content may have changed: device and inode say which file it is, size and
/// modification time whether it was rewritten in place. A rename keeps all four; a copy, a replacement or a rewrite
/// changes at least one. A projection of <see cref="FileStat"/> (statx, links followed) that ignores owner, mode and
/// change time, which a chmod or chown moves without touching the content.
/// </summary>
internal readonly record struct FileIdentity(ulong Device, ulong Inode, long Size, long ModifiedNanoseconds)
{
    /// <summary>The identity of the file <paramref name="path"/> names, or null when it names none (or cannot be read: errno in <paramref name="errno"/>).</summary>
    public static FileIdentity? Of(string path, out int errno) =>
        FileStat.Of(path, out errno) is { } stat ? new FileIdentity(stat.Device, stat.Inode, stat.Size, stat.ModifiedNs) : null;

    public static FileIdentity? Of(string path) => Of(path, out _);

    /// <summary>Whether both name the same file (device and inode), whatever happened to its content.</summary>
    public bool IsSameFileAs(FileIdentity other) => Device == other.Device && Inode == other.Inode;

    public override string ToString() => $"device {Device:x}, inode {Inode}, {Size} bytes";
}
