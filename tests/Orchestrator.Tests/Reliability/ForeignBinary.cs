using System.Diagnostics;
using Orchestrator.Tests.EndToEnd;

namespace Orchestrator.Tests.Reliability;

/// <summary>
/// Files a restart must refuse to exec, made in a directory: another program (<c>/bin/true</c>, which exits 0 at once;
/// <c>/bin/cat</c>, which refuses the flags it is given) or the published binary cut to its first 4 KB (a valid ELF header
/// whose segments are missing). Written by a child process, like every executable the tests make (<see cref="ExecutableCopy"/>).
/// </summary>
internal static class ForeignBinary
{
    public static IEnumerable<string> Kinds() => ["true", "cat", "truncated"];

    public static void Make(string kind, string destination)
    {
        var script = kind switch
        {
            "true" => """cp /bin/true "$2" """,
            "cat" => """cp /bin/cat "$2" """,
            "truncated" => """head -c 4096 "$1" > "$2" """,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "true, cat or truncated"),
        };
        var info = new ProcessStartInfo("sh") { UseShellExecute = false, RedirectStandardError = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script + """ && chmod 700 "$2" """);
        info.ArgumentList.Add("sh");
        info.ArgumentList.Add(PublishedBinary.Path);
        info.ArgumentList.Add(destination);
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"making a '{kind}' binary at {destination} failed: {error}");
    }

    /// <summary>Puts a <paramref name="kind"/> file at <paramref name="path"/> the way an install does: written beside it, renamed over it.</summary>
    public static void ReplaceWith(string kind, string path)
    {
        var staging = path + ".incoming";
        Make(kind, staging);
        File.Move(staging, path, overwrite: true);
    }
}
