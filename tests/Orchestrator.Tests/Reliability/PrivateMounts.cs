using Orchestrator.Tests.EndToEnd;

namespace Orchestrator.Tests.Reliability;

/// <summary>
/// Real file-system faults for one server, without touching the machine's mounts: the server starts in its own mount
/// namespace (<c>unshare --mount</c>) where its data directory is a bind mount (that can be made read-only, now or later
/// through <c>nsenter</c>) or a small tmpfs (that can be filled up). The mounts die with the process. The test reaches a
/// tmpfs's files through <c>/proc/PID/root</c>. Needs root, as the suite already does (chroot, mknod).
/// </summary>
internal static class PrivateMounts
{
    /// <summary>The data directory bind-mounted onto itself, writable (<see cref="RemountReadOnlyAsync"/> can change that) or read-only from the start.</summary>
    public static McpStdioClient StartOnBindMount(string dataDirectory, bool readOnly, IDictionary<string, string>? environment = null) =>
        Start(readOnly
            ? """mount --bind "$1" "$1" && mount -o remount,ro,bind "$1" """
            : """mount --bind "$1" "$1" """, dataDirectory, environment);

    /// <summary>The data directory is a tmpfs of <paramref name="kilobytes"/> KB, empty.</summary>
    public static McpStdioClient StartOnTmpfs(string dataDirectory, int kilobytes, IDictionary<string, string>? environment = null) =>
        Start($"""mount -t tmpfs -o size={kilobytes}k tmpfs "$1" """, dataDirectory, environment);

    /// <summary>Makes the bind mount of a running server read-only, inside its namespace.</summary>
    public static async Task RemountReadOnlyAsync(int pid, string dataDirectory)
    {
        var (exit, _, error) = await ProcessRun.RunAsync("nsenter", ["--target", pid.ToString(), "--mount", "--", "mount", "-o", "remount,ro,bind", dataDirectory]);
        if (exit != 0) throw new InvalidOperationException($"remounting {dataDirectory} read-only failed: {error}");
    }

    /// <summary>A path as the server in its namespace sees it.</summary>
    public static string Inside(int pid, string path) => $"/proc/{pid}/root{path}";

    /// <summary>Writes a file into the server's tmpfs until the file system refuses with ENOSPC.</summary>
    public static void Fill(int pid, string dataDirectory)
    {
        var chunk = new byte[64 * 1024];
        using var filler = new FileStream(Inside(pid, Path.Combine(dataDirectory, "filler")), FileMode.Create, FileAccess.Write, FileShare.None, 0);
        try
        {
            while (true) filler.Write(chunk);
        }
        catch (IOException)
        {
            // Full. What is left is smaller than a chunk: fill it byte-sized.
        }
        try
        {
            while (true) filler.Write(chunk, 0, 1);
        }
        catch (IOException)
        {
        }
    }

    private static McpStdioClient Start(string mountScript, string dataDirectory, IDictionary<string, string>? environment) =>
        McpStdioClient.StartCommand("unshare",
            ["--mount", "--propagation", "private", "--", "sh", "-c", mountScript + """ && shift && exec "$@" """, "sh", dataDirectory,
             PublishedBinary.Path, "--data-dir", dataDirectory],
            environment);
}
