using System.Runtime.InteropServices;

namespace Orchestrator.Native;

/// <summary>
/// The few POSIX calls the restart path needs and .NET does not expose: reading stdin without over-reading, writing
/// stdout unbuffered, mapping the snapshot, keeping sockets open across the exec and accepting between two hand-overs,
/// and replacing the process image in place.
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

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint recv(int fd, byte* buffer, nuint length, int flags);

    public const int F_SETFD = 2;
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
