using Orchestrator.Tests.EndToEnd;

namespace Orchestrator.Tests.Reliability;

/// <summary>A private copy of the published binary in its own directory, so that a test can remove it or take its execute bit.</summary>
internal sealed class BinaryCopy : IDisposable
{
    private readonly TempDirectory _directory = new();

    public BinaryCopy()
    {
        Path = System.IO.Path.Combine(_directory.Path, "orchestrator");
        // Copied by a child process, not File.Copy: a write descriptor open in this (multithreaded) test host is inherited
        // by processes other tests fork meanwhile, and while any of them holds it, exec of the copy fails with ETXTBSY.
        using (var copy = System.Diagnostics.Process.Start("cp", [PublishedBinary.Path, Path]))
        {
            copy.WaitForExit();
            if (copy.ExitCode != 0) throw new InvalidOperationException($"cp {PublishedBinary.Path} {Path} exited {copy.ExitCode}");
        }
        File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public string Path { get; }

    /// <summary>Applies a change to the file: <c>remove</c> deletes it, <c>not-executable</c> leaves it readable only.</summary>
    public void Break(string how)
    {
        switch (how)
        {
            case "remove": File.Delete(Path); break;
            case "not-executable": File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite); break;
            default: throw new ArgumentOutOfRangeException(nameof(how), how, "remove or not-executable");
        }
    }

    public void Dispose() => _directory.Dispose();
}
