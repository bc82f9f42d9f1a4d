using Orchestrator.Tests.EndToEnd;

namespace Orchestrator.Tests.Security;

/// <summary>Starting the published binary under a chosen umask, and reading the modes of what it created.</summary>
internal static class FileModes
{
    /// <summary>
    /// The command and arguments that run the binary under <paramref name="umask"/>: a shell sets it and execs the binary,
    /// which keeps the shell's PID, so the test drives the server itself.
    /// </summary>
    public static (string Command, string[] Arguments) UnderUmask(string umask, params string[] arguments) =>
        ("/bin/sh", ["-c", $"umask {umask} && exec \"$0\" \"$@\"", PublishedBinary.Path, .. arguments]);

    public static string Octal(string path) => "0" + Convert.ToString((int)File.GetUnixFileMode(path) & 0xFFF, 8).PadLeft(3, '0');

    /// <summary>Every directory under <paramref name="root"/> (itself included) and every file, each with its mode.</summary>
    public static IReadOnlyList<(string Path, bool IsDirectory, string Mode)> Under(string root) =>
    [
        (root, true, Octal(root)),
        .. Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories).Select(d => (d, true, Octal(d))),
        .. Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Select(f => (f, false, Octal(f))),
    ];

    /// <summary>The entries under <paramref name="root"/> that are not private (directories 0700, files 0600), one per line; empty when all are.</summary>
    public static string NotPrivate(string root) =>
        string.Join("\n", Under(root).Where(e => e.Mode != (e.IsDirectory ? "0700" : "0600")).Select(e => $"{e.Mode} {e.Path}"));
}
