using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Orchestrator.Generators;
using Orchestrator.Tooling;

namespace Orchestrator.Tests.Generator;

/// <summary>Builds compilations of small sources and runs the tool generator on them, as the compiler would.</summary>
internal static class GeneratorHarness
{
    /// <summary>Put before every test source, so that sources read like the server's contract files.</summary>
    public const string Usings = "using System; using System.Collections.Generic; using Orchestrator.Tooling;\nnamespace Demo;\n";

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Preview);

    private static readonly Lazy<List<MetadataReference>> References = new(() =>
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator).ToHashSet();
        // Generated code compiles against the server assembly's Tooling types, which refer to the MCP SDK's.
        paths.Add(typeof(McpToolAttribute).Assembly.Location);
        paths.Add(typeof(ModelContextProtocol.Server.McpServer).Assembly.Location);
        return paths.Where(File.Exists).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToList();
    });

    public static SyntaxTree Parse(string source, string path = "") =>
        CSharpSyntaxTree.ParseText(Usings + source, ParseOptions, path);

    public static CSharpCompilation Compile(params SyntaxTree[] trees) =>
        CSharpCompilation.Create("GeneratorTest" + Guid.NewGuid().ToString("N"), trees, References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    /// <param name="trackSteps">Record every pipeline step's inputs and outputs, for the caching tests.</param>
    public static GeneratorDriver CreateDriver(bool trackSteps = false) =>
        CSharpGeneratorDriver.Create([new ToolGenerator().AsSourceGenerator()], parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));
}
