using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Orchestrator.Generators;

namespace Orchestrator.Tests.Architecture;

/// <summary>
/// A compilation of every src/Orchestrator/**/*.cs (bin/ and obj/ left out), with the project's own source generator
/// run on it so that generated members resolve (Mapperly's generator is not run: see LayeringTests.HarmlessErrors).
/// </summary>
internal sealed class ServerSources
{
    /// <summary>The global usings of the SDK's ImplicitUsings for Microsoft.NET.Sdk, which the project enables.</summary>
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    private ServerSources(Compilation compilation, ImmutableArray<SyntaxTree> sources, int generatedCount)
    {
        Compilation = compilation;
        Sources = sources;
        GeneratedCount = generatedCount;
    }

    /// <summary>The sources and the generated trees together.</summary>
    public Compilation Compilation { get; }

    /// <summary>The trees of the files in src/Orchestrator, each with its path relative to the repository root.</summary>
    public ImmutableArray<SyntaxTree> Sources { get; }

    /// <summary>How many trees the tool generator added.</summary>
    public int GeneratedCount { get; }

    public static ServerSources Load(string repositoryRoot)
    {
        var project = Path.Combine(repositoryRoot, "src", "Orchestrator");
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest, preprocessorSymbols: ["NET", "NET10_0", "NET10_0_OR_GREATER", "NETCOREAPP", "RELEASE", "TRACE"]);
        var sources = Directory.EnumerateFiles(project, "*.cs", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(repositoryRoot, path).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(relative => !IsBuildOutput(relative))
            .Order(StringComparer.Ordinal)
            .Select(relative => CSharpSyntaxTree.ParseText(File.ReadAllText(Path.Combine(repositoryRoot, relative)), parseOptions, relative))
            .ToImmutableArray();
        var implicitUsings = CSharpSyntaxTree.ParseText(ImplicitUsings, parseOptions, "ImplicitUsings.g.cs");
        var options = new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true);
        var compilation = CSharpCompilation.Create("orchestrator", [.. sources, implicitUsings], CompilationReferences.Get(), options);
        GeneratorDriver driver = CSharpGeneratorDriver.Create([new ToolGenerator().AsSourceGenerator()], parseOptions: parseOptions);
        driver.RunGeneratorsAndUpdateCompilation(compilation, out var generated, out var generatorDiagnostics);
        var failures = generatorDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (failures.Count > 0)
            throw new InvalidOperationException("the tool generator failed on src/Orchestrator: " + string.Join("; ", failures));
        // The generator saw the project's options; the analysis runs without nullable analysis, which decides no symbol
        // a name binds to and costs a third of the binding.
        return new ServerSources(generated.WithOptions(options.WithNullableContextOptions(NullableContextOptions.Disable)), sources,
            generated.SyntaxTrees.Count() - compilation.SyntaxTrees.Count());
    }

    private static bool IsBuildOutput(string relative) =>
        relative.Split('/').Skip(2).SkipLast(1).Any(segment => segment is "obj" or "bin");
}
