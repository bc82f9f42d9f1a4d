using Orchestrator.Tests.EndToEnd;

namespace Orchestrator.Tests.Reliability;

/// <summary>A private copy of the published binary in its own directory, so that a test can remove it or take its execute bit.</summary>
internal sealed class BinaryCopy : IDisposable
{
    private readonly TempDirectory _directory = new();

    public BinaryCopy()
    {
        Path = System.IO.Path.Combine(_directory.Path, "orchestrator");
        File.Copy(PublishedBinary.Path, Path);
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
