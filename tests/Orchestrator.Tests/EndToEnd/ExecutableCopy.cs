using System.Diagnostics;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>
/// Copies a binary to be executed by a test. The copy is written by a child process, never through a descriptor of
/// this multithreaded test host: a write descriptor open here is inherited by the processes other tests fork
/// meanwhile, and while any of them holds it, exec of the copy fails with ETXTBSY.
/// </summary>
internal static class ExecutableCopy
{
    public static void Make(string source, string destination, string? appendText = null)
    {
        var info = new ProcessStartInfo("sh") { UseShellExecute = false, RedirectStandardError = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("""cp "$1" "$2" && chmod 700 "$2" && if [ -n "$3" ]; then printf '%s' "$3" >> "$2"; fi""");
        info.ArgumentList.Add("sh");
        info.ArgumentList.Add(source);
        info.ArgumentList.Add(destination);
        info.ArgumentList.Add(appendText ?? "");
        using var copy = Process.Start(info)!;
        var error = copy.StandardError.ReadToEnd();
        copy.WaitForExit();
        if (copy.ExitCode != 0) throw new InvalidOperationException($"copying {source} to {destination} failed: {error}");
    }

    /// <summary>
    /// A live upgrade staged in <paramref name="directory"/>: the running release serves the reboot tools only, the staged
    /// one (<c>orchestrator.next</c>) every tool, as a newer release would (run with <c>ORCHESTRATOR_TEST_HOOKS=build-identity</c>).
    /// The running release's path.
    /// </summary>
    public static string StageUpgradeServingMoreTools(string directory)
    {
        var binary = Path.Combine(directory, "orchestrator");
        Make(PublishedBinary.Path, binary, "\n#orchestrator-test-build version=0.9.0-test tool-groups=reboot\n");
        Make(PublishedBinary.Path, binary + ".next", "\n#orchestrator-test-build version=9.9.9-test\n");
        return binary;
    }
}
