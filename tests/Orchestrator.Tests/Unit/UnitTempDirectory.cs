namespace Orchestrator.Tests.Unit;

/// <summary>A fresh directory for one unit test, removed at dispose.</summary>
internal sealed class UnitTempDirectory : IDisposable
{
    public UnitTempDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "orchestrator-unit-" + Guid.NewGuid().ToString("n"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
