using System.Runtime.InteropServices;
using System.Text;
using Orchestrator.Native;

namespace Orchestrator.Reboot;

/// <summary>
/// Replaces this process's image with the executable at <see cref="ExecutablePath"/>: same PID, same open
/// stdin/stdout/stderr and whatever descriptors the transport kept open (the HTTP sockets). The path is the file, not
/// <c>/proc/self/exe</c>, so that a binary upgraded in place is what the restart runs.
/// </summary>
internal static unsafe class ProcessImage
{
    /// <summary>
    /// The path this image was started from, read once at start-up: .NET resolves <c>ProcessPath</c> lazily from
    /// <c>/proc/self/exe</c>, which after the file is replaced or removed no longer names it.
    /// </summary>
    public static string ExecutablePath { get; private set; } = "";

    /// <summary>
    /// The file this image runs, as it was at start-up (its inode through <c>/proc/self/exe</c>, else the path): a restart
    /// that finds it still at <see cref="ExecutablePath"/>, unchanged, execs it without probing it (<see cref="SuccessorCheck"/>).
    /// </summary>
    public static FileIdentity? RunningFile { get; private set; }

    public static void CaptureExecutablePath()
    {
        ExecutablePath = Environment.ProcessPath ?? "";
        RunningFile = FileIdentity.Of("/proc/self/exe") ?? (ExecutablePath.Length > 0 ? FileIdentity.Of(ExecutablePath) : null);
    }

    /// <summary>Why exec of <paramref name="path"/> would fail, or null when it looks runnable.</summary>
    public static string? Problem(string path)
    {
        if (path.Length == 0) return "the path of this executable is unknown";
        if (!File.Exists(path)) return $"executable {path} no longer exists";
        var bytes = Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* p = bytes)
            if (Libc.access(p, Libc.X_OK) != 0) return $"executable {path} is not executable (errno {Marshal.GetLastPInvokeError()})";
        Span<byte> magic = stackalloc byte[4];
        try
        {
            using var file = File.OpenRead(path);
            if (file.Read(magic) != 4 || !magic.SequenceEqual("\u007fELF"u8)) return $"executable {path} is not an ELF binary";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"executable {path} cannot be read: {ex.Message}";
        }
        return null;
    }

    /// <summary>execv(2). Returns only on failure, with the errno; the old image is then intact.</summary>
    public static int Exec(string path, IReadOnlyList<string> argv)
    {
        var strings = new List<nint>();
        try
        {
            nint Pin(string s)
            {
                var p = Marshal.StringToCoTaskMemUTF8(s);
                strings.Add(p);
                return p;
            }
            var pathPtr = Pin(path);
            var vector = stackalloc nint[argv.Count + 1];
            for (var i = 0; i < argv.Count; i++) vector[i] = Pin(argv[i]);
            vector[argv.Count] = 0;
            // The calling thread's signal mask survives execv and becomes the new image's: the runtime expects nothing
            // blocked but SIGTERM and SIGINT, which stay blocked so that one arriving now waits for the new image
            // (TerminationSignals).
            var mask = stackalloc ulong[16]; // glibc's sigset_t is 1024 bits
            TerminationSignals.FillExecMask(mask);
            Libc.sigprocmask(Libc.SIG_SETMASK, mask, null);
            Libc.execv((byte*)pathPtr, (byte**)vector);
            return Marshal.GetLastPInvokeError();
        }
        finally
        {
            foreach (var p in strings) Marshal.FreeCoTaskMem(p);
        }
    }
}
