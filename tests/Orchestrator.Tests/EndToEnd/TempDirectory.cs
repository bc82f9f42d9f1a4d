namespace Orchestrator.Tests.EndToEnd;

/// <summary>
/// A fresh directory removed at dispose, so that every test has its own data directory. It is 0700, as the server makes
/// the data directory it creates: one that others can read is reported by <c>doctor</c> and warned about at start.
/// </summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "orchestrator-test-" + Guid.NewGuid().ToString("n"));

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
