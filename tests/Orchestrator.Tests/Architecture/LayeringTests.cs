using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Orchestrator.Tests.EndToEnd;

namespace Orchestrator.Tests.Architecture;

/// <summary>
/// The namespaces of src/Orchestrator keep to the layers of docs/architecture.md: each uses its own namespace and
/// lower layers only. The first test checks the server's sources; the others prove the checker and the parser.
/// </summary>
public class LayeringTests
{
    private const string Document = "docs/architecture.md";

    [Test]
    public async Task Server_namespaces_use_only_lower_layers()
    {
        var started = Stopwatch.StartNew();
        var root = PublishedBinary.RepositoryRoot;
        var layers = LayerTable.FromMarkdown(await File.ReadAllTextAsync(Path.Combine(root, Document)), Document);
        var server = ServerSources.Load(root);
        await Assert.That(server.Sources.Length).IsGreaterThan(50);
        await Assert.That(server.GeneratedCount).IsGreaterThan(0).Because("the tool generator's output must be part of the compilation");

        var report = new LayeringChecker(layers).Check(server.Compilation, server.Sources);

        // The check is only as good as the binding: a missing reference or generated member would leave names
        // unresolved and the uses behind them unseen. Declarations (usings, signatures, base types) must bind but
        // for errors that cannot hide a use, and in method bodies every name that could be one of the server's
        // symbols must have bound (the walk looked them all up; a full GetDiagnostics would bind every body again).
        var errors = server.Compilation.GetParseDiagnostics().Concat(server.Compilation.GetDeclarationDiagnostics())
            .Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        var suspicious = errors.Where(e => !HarmlessErrors.Contains(e.Id) && !IsUngeneratedJsonContext(e)).Select(e => e.ToString()).ToList();
        await Assert.That(suspicious).IsEmpty().Because("the declarations of src/Orchestrator must bind for the layering check to be trusted");
        await Assert.That(errors.Count).IsLessThan(MaxHarmlessErrors);
        var jsonContexts = server.Sources.Where(t => t.GetText().ToString().Contains(": JsonSerializerContext", StringComparison.Ordinal))
            .Select(t => t.FilePath + ":").ToList();
        var unresolved = report.Unresolved.Where(u => !jsonContexts.Any(file => u.StartsWith(file, StringComparison.Ordinal))).ToList();
        await Assert.That(unresolved).IsEmpty().Because("a name of the server's that binds to nothing may hide a use");

        Console.WriteLine($"{server.Sources.Length} files checked against {Document} in {started.ElapsedMilliseconds} ms: "
            + $"{report.Violations.Count} violation(s); {errors.Count} declaration error(s), all {string.Join("/", HarmlessErrors)}");
        if (report.Violations.Count > 0)
            Assert.Fail($"{report.Violations.Count} use(s) break the layers of {Document} (a namespace may use its own namespace and lower layers only):\n"
                + string.Join('\n', report.Violations));
    }

    /// <summary>
    /// Errors that cannot hide a use. Mapperly's generator does not run here, so its partial mapping methods have no
    /// implementation (CS8795, one per method); they are declared, and their signatures name the types they map.
    /// </summary>
    private static readonly string[] HarmlessErrors = ["CS8795"];

    /// <summary>
    /// System.Text.Json's generator does not run here either: a <c>JsonSerializerContext</c> (the export format's) lacks
    /// the two members it would write (CS0534 naming them), and the names of its generated members stay unresolved in
    /// its own file, which is why every other file reaches them through a member the context declares itself. Its
    /// declaration binds; the types it serializes are named in its attributes.
    /// </summary>
    private static bool IsUngeneratedJsonContext(Diagnostic error) =>
        error.Id == "CS0534" && error.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Contains("'JsonSerializerContext.", StringComparison.Ordinal);

    /// <summary>Today 34, one per mapping method; far more means something else broke.</summary>
    private const int MaxHarmlessErrors = 100;

    private static readonly LayerTable TestLayers = LayerTable.Parse(
        ["0 Native", "1 Tooling Storage", "2 Orchestration Reboot", "3 Transport Http TestHooks", "4 Hosting", "5 Cli Benchmarks", "6 Orchestrator"],
        "test.md");

    private const string Hosting = """
        namespace Orchestrator.Hosting;
        public sealed class ServerRuntime { public static ServerRuntime Create() => new(); public int Port { get; init; } }
        """;

    private const string Tooling = """
        namespace Orchestrator.Tooling;
        public sealed class ToolCallContext { public string Caller { get; init; } = ""; }
        """;

    private const string ToolingUsesHosting = """
        using Orchestrator.Hosting;
        namespace Orchestrator.Tooling;
        public static class Runner { public static int Port() => ServerRuntime.Create().Port + new ServerRuntime().Port; }
        """;

    private const string HostingUsesTooling = """
        using Orchestrator.Tooling;
        namespace Orchestrator.Hosting;
        public static class Host { public static string Caller() => new ToolCallContext { Caller = "x" }.Caller; }
        """;

    /// <summary>The violations in small sources, which must compile and leave no name unresolved.</summary>
    private static IReadOnlyList<LayerViolation> CheckInMemory(params (string Path, string Text)[] files)
    {
        var trees = files.Select(f => CSharpSyntaxTree.ParseText(f.Text, path: f.Path)).ToList();
        var compilation = CSharpCompilation.Create("layering" + Guid.NewGuid().ToString("N"), trees, CompilationReferences.Get(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();
        if (errors.Count > 0) throw new InvalidOperationException("the in-memory sources do not compile: " + string.Join("; ", errors));
        var report = new LayeringChecker(TestLayers).Check(compilation, trees);
        if (report.Unresolved.Count > 0) throw new InvalidOperationException("unresolved: " + string.Join("; ", report.Unresolved));
        return report.Violations;
    }

    [Test]
    public async Task Checker_reports_a_lower_layer_using_a_higher_one_once()
    {
        var violations = CheckInMemory(("Hosting/ServerRuntime.cs", Hosting), ("Tooling/ToolCallContext.cs", Tooling), ("Tooling/Runner.cs", ToolingUsesHosting));
        await Assert.That(violations.Select(v => v.ToString()).ToList())
            .IsEquivalentTo(["Tooling/Runner.cs:3: Tooling uses Hosting.ServerRuntime (layer 4 above layer 1)"]);
    }

    [Test]
    public async Task Checker_accepts_a_higher_layer_using_a_lower_one()
    {
        var violations = CheckInMemory(("Hosting/ServerRuntime.cs", Hosting), ("Tooling/ToolCallContext.cs", Tooling), ("Hosting/Host.cs", HostingUsesTooling));
        await Assert.That(violations).IsEmpty();
    }

    [Test]
    public async Task Checker_reports_a_namespace_using_another_of_its_layer_and_one_outside_the_table()
    {
        const string storage = "namespace Orchestrator.Storage; public static class Database { public static int Open() => 1; }";
        const string toolingUsesStorage = "namespace Orchestrator.Tooling; public static class Opener { public static int Go() => Storage.Database.Open(); }";
        const string elsewhere = "namespace Orchestrator.Elsewhere; public static class Stray { }";
        var violations = CheckInMemory(("Storage/Database.cs", storage), ("Tooling/Opener.cs", toolingUsesStorage), ("Elsewhere/Stray.cs", elsewhere));
        await Assert.That(violations.Select(v => v.ToString()).ToList()).IsEquivalentTo([
            "Elsewhere/Stray.cs:1: namespace Orchestrator.Elsewhere is not in test.md's layers",
            "Tooling/Opener.cs:1: Tooling uses Storage.Database (both on layer 1)",
        ]);
    }

    [Test]
    public async Task Checker_sees_uses_through_aliases_attributes_and_var()
    {
        const string hosting = """
            namespace Orchestrator.Hosting;
            public sealed class MarkAttribute : System.Attribute { public string Name { get; set; } = ""; }
            public sealed class ServerRuntime { public static ServerRuntime Create() => new(); public int Port { get; init; } }
            public static class Runtimes { public static ServerRuntime Current => ServerRuntime.Create(); }
            """;
        const string tooling = """
            using Runtime = Orchestrator.Hosting.ServerRuntime;
            namespace Orchestrator.Tooling;
            public sealed class Named { public int Port { get; init; } public string Name { get; init; } = ""; }
            [Orchestrator.Hosting.Mark(Name = "x")]
            public static class Uses
            {
                public static object Alias() => Runtime.Create();
                public static int Local() { var runtime = Hosting.Runtimes.Current; return Shapes(runtime); }
                private static int Shapes(object o)
                {
                    var tuple = (Port: 1, Name: "n");
                    var anonymous = new { Port = 2, Name = nameof(Named.Name) };
                    return o is Named { Port: 3 } ? tuple.Port : anonymous.Port;
                }
            }
            """;
        var violations = CheckInMemory(("Hosting/Hosting.cs", hosting), ("Tooling/Uses.cs", tooling));
        await Assert.That(violations.Select(v => v.ToString()).ToList()).IsEquivalentTo([
            "Tooling/Uses.cs:1: Tooling uses Hosting.ServerRuntime (layer 4 above layer 1)",
            "Tooling/Uses.cs:4: Tooling uses Hosting.MarkAttribute (layer 4 above layer 1)",
            "Tooling/Uses.cs:8: Tooling uses Hosting.Runtimes (layer 4 above layer 1)",
        ]);
    }

    [Test]
    public async Task Layers_block_refuses_a_namespace_listed_twice()
    {
        const string markdown = "## Layers\n\n```layers\n0 Native\n1 Tooling Storage\n2 Reboot Tooling\n```\n";
        var ex = Assert.Throws<FormatException>(() => LayerTable.FromMarkdown(markdown, Document));
        await Assert.That(ex.Message).Contains("namespace Tooling is listed twice");
        await Assert.That(ex.Message).StartsWith(Document + ":6:");
    }

    [Test]
    public async Task Layers_block_refuses_a_layer_that_is_not_a_number()
    {
        const string markdown = "```layers\n0 Native\none Tooling\n```\n";
        var ex = Assert.Throws<FormatException>(() => LayerTable.FromMarkdown(markdown, Document));
        await Assert.That(ex.Message).Contains("\"one\" is not a number");
    }

    [Test]
    public async Task Layers_block_must_exist()
    {
        var ex = Assert.Throws<FormatException>(() => LayerTable.FromMarkdown("## Layers\n\n```\n0 Native\n```\n", Document));
        await Assert.That(ex.Message).Contains("no ```layers block");
    }
}
