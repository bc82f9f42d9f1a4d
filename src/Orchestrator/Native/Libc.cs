using System.Runtime.InteropServices;

namespace Orchestrator.Native;

/// <summary>
/// The few POSIX calls the restart path needs and .NET does not expose: reading stdin without over-reading, writing
/// stdout unbuffered, mapping the snapshot, keeping sockets open across the exec and accepting between two hand-overs,
/// and replacing the process image in place; and those that keep the user's data private: the umask, the file owner
/// and mode as the kernel reports them (<see cref="FileStat"/>), the environment the next image inherits.
/// </summary>
internal static unsafe partial class Libc
{
    public const int EINTR = 4;
    public const int EAGAIN = 11;
    public const short POLLIN = 0x001;
    public const short POLLHUP = 0x010;
    public const short POLLERR = 0x008;
    public const short POLLNVAL = 0x020;

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", SetLastError = true)]
    public static partial int poll(PollFd* fds, nuint nfds, int timeout);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint read(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint write(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int execv(byte* path, byte** argv);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int access(byte* path, int mode);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int link(byte* existing, byte* created);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int sigprocmask(int how, ulong* set, ulong* oldset);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int getpid();

    /// <summary>kill(2): .NET's Process.Kill sends only SIGKILL, which gives the process no chance to shut down.</summary>
    [LibraryImport("libc", SetLastError = true)]
    public static partial int kill(int pid, int signal);

    public const int SIGTERM = 15;

    [LibraryImport("libc", SetLastError = true)]
    public static partial int open(byte* path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true)]
    public static partial long lseek(int fd, long offset, int whence);

    [LibraryImport("libc", SetLastError = true)]
    public static partial void* mmap(void* address, nuint length, int protection, int flags, int fd, long offset);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int munmap(void* address, nuint length);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int fcntl(int fd, int command, int argument);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int accept4(int fd, void* address, void* addressLength, int flags);

    [LibraryImport("libc")]
    public static partial uint umask(uint mask);

    [LibraryImport("libc")]
    public static partial uint geteuid();

    [LibraryImport("libc", SetLastError = true)]
    public static partial int setenv(byte* name, byte* value, int overwrite);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int statx(int dirfd, byte* path, int flags, uint mask, byte* buffer);

    /// <summary>
    /// setenv(3): changes the environment that <c>execv</c> hands to the next image (.NET's own
    /// <see cref="Environment.SetEnvironmentVariable(string, string)"/> changes only a managed copy).
    /// </summary>
    public static void SetEnvironment(string name, string value)
    {
        var nameBytes = System.Text.Encoding.UTF8.GetBytes(name + "\0");
        var valueBytes = System.Text.Encoding.UTF8.GetBytes(value + "\0");
        fixed (byte* n = nameBytes)
        fixed (byte* v = valueBytes)
            if (setenv(n, v, 1) != 0) throw new IOException($"setenv({name}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    [LibraryImport("libc", SetLastError = true)]
    public static partial int statvfs(byte* path, byte* buffer);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int signalfd(int fd, ulong* mask, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int sigpending(ulong* set);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint recv(int fd, byte* buffer, nuint length, int flags);

    public const int F_SETFD = 2;
    public const int F_SETPIPE_SZ = 1031;
    public const int F_GETPIPE_SZ = 1032;
    public const int FD_CLOEXEC = 1;
    public const int SOCK_CLOEXEC = 0x80000;
    public const int SOCK_NONBLOCK = 0x800;
    public const int ECONNABORTED = 103;
    public const int MSG_PEEK = 0x2;
    public const int MSG_DONTWAIT = 0x40;

    /// <summary>
    /// Whether a read of socket <paramref name="fd"/> would return at once (data waiting, the peer's end of stream, or an
    /// error to report), found by peeking one byte without waiting; false only when nothing is there yet.
    /// </summary>
    public static bool HasDataOrEnd(int fd)
    {
        byte peeked;
        while (true)
        {
            if (recv(fd, &peeked, 1, MSG_PEEK | MSG_DONTWAIT) >= 0) return true;
            var errno = Marshal.GetLastPInvokeError();
            if (errno == EINTR) continue;
            return errno != EAGAIN;
        }
    }

    /// <summary>Sets (<paramref name="close"/>) or clears FD_CLOEXEC: whether <paramref name="fd"/> is closed by the next execv.</summary>
    public static bool SetCloseOnExec(int fd, bool close) => fcntl(fd, F_SETFD, close ? FD_CLOEXEC : 0) == 0;

    public const int O_RDONLY = 0;
    public const int O_CLOEXEC = 0x80000;
    public const int SEEK_END = 2;
    public const int PROT_READ = 1;
    public const int MAP_PRIVATE = 2;
    public const int MAP_POPULATE = 0x8000;
    public static readonly nint MapFailed = -1;

    public const int X_OK = 1;
    public const int W_OK = 2;

    /// <summary>access(2) with W_OK: whether this process may write to <paramref name="path"/>.</summary>
    public static bool CanWrite(string path)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* p = bytes) return access(p, W_OK) == 0;
    }
    public const int SIG_BLOCK = 0;
    public const int SIG_UNBLOCK = 1;
    public const int SIG_SETMASK = 2;

    /// <summary>Writes all of <paramref name="data"/> to <paramref name="fd"/>, retrying short writes and EINTR.</summary>
    public static void WriteAll(int fd, ReadOnlySpan<byte> data)
    {
        fixed (byte* start = data)
        {
            var offset = 0;
            while (offset < data.Length)
            {
                var n = write(fd, start + offset, (nuint)(data.Length - offset));
                if (n < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno is EINTR or EAGAIN) continue;
                    throw new IOException($"write(fd {fd}) failed: errno {errno}");
                }
                offset += (int)n;
            }
        }
    }
}
