using Microsoft.CodeAnalysis;

namespace Orchestrator.Tests.Architecture;

/// <summary>
/// The metadata references a compilation of the server's sources needs: the test process's trusted platform
/// assemblies, which are the .NET and ASP.NET Core shared frameworks plus every package the server references
/// (they are copied beside the tests), without the repository's own assemblies, whose types the sources declare.
/// </summary>
internal static class CompilationReferences
{
    /// <summary>Assemblies the server's sources cannot be bound without; their absence fails the setup loudly.</summary>
    private static readonly string[] Required =
    [
        "System.Runtime", "System.Private.CoreLib",
        "Microsoft.AspNetCore", "Microsoft.AspNetCore.Http.Abstractions", "Microsoft.Extensions.Hosting",
        "ModelContextProtocol.Core", "ModelContextProtocol.AspNetCore",
        "Microsoft.Data.Sqlite", "SQLitePCLRaw.core", "ZLogger", "Riok.Mapperly.Abstractions",
    ];

    private static readonly HashSet<string> Own = new(StringComparer.OrdinalIgnoreCase)
    {
        "orchestrator", "Orchestrator.Tests", "Orchestrator.Generators",
    };

    private static readonly Lazy<IReadOnlyList<MetadataReference>> All = new(Load);

    /// <exception cref="InvalidOperationException">A required assembly is not among the trusted platform assemblies.</exception>
    public static IReadOnlyList<MetadataReference> Get() => All.Value;

    private static IReadOnlyList<MetadataReference> Load()
    {
        var paths = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(File.Exists)
            .Where(p => !Own.Contains(Path.GetFileNameWithoutExtension(p)))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var names = paths.Select(Path.GetFileNameWithoutExtension).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var missing = Required.Where(r => !names.Contains(r)).ToList();
        if (missing.Count > 0)
            throw new InvalidOperationException(
                $"not among the test process's trusted platform assemblies: {string.Join(", ", missing)}; the layering check cannot bind the sources");
        return paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToList();
    }
}
