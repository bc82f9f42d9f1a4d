using Orchestrator.Native;

namespace Orchestrator.Storage;

/// <summary>
/// The user's data (the store, its WAL and shared memory, restart snapshots, logs, exports) is for its owner alone:
/// directories this process creates are 0700 and files 0600, whatever umask it was started with. What the user created
/// beforehand keeps its mode, their choice; <see cref="Exposure"/> says when that mode lets other users in.
/// </summary>
internal static class PrivateFiles
{
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const UnixFileMode GroupAndOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
    private const UnixFileMode AnyRead = UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>
    /// Sets the process umask to 077, so that everything created from here on (SQLite's database, WAL and shared-memory
    /// files, the log file and its directory, snapshots, temporaries) grants nothing to group and others, whoever
    /// creates it and whatever mode it asks for. The umask crosses <c>execv</c>: the next image starts with it too.
    /// </summary>
    public static void RestrictProcessUmask() => Libc.umask(0x3F); // 077

    /// <summary>Creates <paramref name="path"/> and any missing parent 0700; a directory that exists keeps its mode.</summary>
    public static void CreateDirectory(string path)
    {
        // .NET gives the requested mode to the last directory only; its missing parents would get 0777 less the umask.
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full)) return;
        if (Path.GetDirectoryName(full) is { } parent) CreateDirectory(parent);
        Directory.CreateDirectory(full, DirectoryMode);
    }

    /// <summary>
    /// Opens <paramref name="path"/> for writing from its start: a new file is created 0600 whatever the umask; a file
    /// that exists is truncated and keeps its mode (the user chose it). For files that carry the user's data out of the
    /// store (<c>export</c>).
    /// </summary>
    public static FileStream CreateFile(string path)
    {
        try
        {
            var created = new FileStream(path, new FileStreamOptions
            {
                Mode = System.IO.FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = FileMode,
            });
            // The umask can only take bits away from 0600; setting it again makes the mode exact (a umask of 0277 too).
            File.SetUnixFileMode(created.SafeFileHandle, FileMode);
            return created;
        }
        catch (IOException) when (File.Exists(path))
        {
            return new FileStream(path, System.IO.FileMode.Truncate, FileAccess.Write);
        }
    }

    /// <summary>How <paramref name="path"/> lets other users in, or null when it does not (or does not exist).</summary>
    public static Exposure? Exposure(string path)
    {
        if (FileStat.Of(path) is not { } stat) return null;
        var open = stat.Permissions & GroupAndOthers;
        return open == 0 ? null : new Exposure(path, stat.IsDirectory, stat.Permissions);
    }

    /// <summary>Whether other users have any access to <paramref name="mode"/> (read, write or execute).</summary>
    public static bool IsOpenToOthers(UnixFileMode mode) => (mode & GroupAndOthers) != 0;

    internal static bool LetsOthersRead(UnixFileMode mode) => (mode & AnyRead) != 0;
}

/// <summary>A file or directory whose mode lets group or others in: what they can do, and the <c>chmod</c> that closes it.</summary>
internal sealed record Exposure(string Path, bool IsDirectory, UnixFileMode Mode)
{
    public string OctalMode => Octal(Mode);

    /// <summary>E.g. "other users can read it (mode 0644)".</summary>
    public string Finding => (PrivateFiles.LetsOthersRead(Mode) ? "other users can read it" : "other users can access it") + $" (mode {OctalMode})";

    /// <summary>The command that gives it the mode this server gives what it creates: 700 for a directory, 600 for a file.</summary>
    public string Fix => $"chmod {(IsDirectory ? "700" : "600")} {ShellWord.Quote(Path)}";

    public static string Octal(UnixFileMode mode) => "0" + Convert.ToString((int)mode & 0xFFF, 8).PadLeft(3, '0');
}
