namespace Orchestrator.Tests.EndToEnd;

/// <summary>Finds the binary that <c>./publish.sh</c> produced; the end-to-end tests drive it as a client would.</summary>
internal static class PublishedBinary
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Path
    {
        get
        {
            var path = Environment.GetEnvironmentVariable("ORCHESTRATOR_BINARY") is { Length: > 0 } configured
                ? configured
                : System.IO.Path.Combine(RepositoryRoot, "artifacts", "orchestrator");
            if (!File.Exists(path))
                throw new InvalidOperationException($"{path} does not exist: run ./publish.sh first (./test.sh does both)");
            return path;
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Orchestrator.sln"))) return dir.FullName;
        throw new InvalidOperationException("cannot find the repository root (Orchestrator.sln) above " + AppContext.BaseDirectory);
    }
}
