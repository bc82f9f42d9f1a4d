using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Orchestrator.Generators;
using Orchestrator.Tooling;

namespace Orchestrator.Tests.Generator;

/// <summary>Runs the generator on small sources, as the compiler would, and checks its diagnostics and output.</summary>
public class GeneratorDiagnosticsTests
{
    private sealed record Run(ImmutableArray<Diagnostic> Generator, ImmutableArray<Diagnostic> Compilation, Compilation Output, GeneratorDriverRunResult Result);

    private static Run Generate(string source)
    {
        var compilation = GeneratorHarness.Compile(GeneratorHarness.Parse(source));
        var driver = GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        return new Run(diagnostics, output.GetDiagnostics(), output, driver.GetRunResult());
    }

    [Test]
    public async Task Good_source_generates_and_compiles_without_diagnostics()
    {
        var run = Generate(GeneratorSources.Good);
        await Assert.That(run.Generator.Select(d => d.ToString()).ToList()).IsEmpty();
        var problems = run.Compilation.Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.ToString()).ToList();
        await Assert.That(problems).IsEmpty();
        var files = run.Result.GeneratedTrees.Select(t => Path.GetFileName(t.FilePath)).ToList();
        await Assert.That(files).Contains("Orchestrator.Tooling.GeneratedTools.g.cs");
        await Assert.That(files).Contains("Demo.Subtask.g.cs");
    }

    [Test]
    public async Task Generated_code_of_the_good_source_parses_nested_lists_and_escapes_descriptions()
    {
        var run = Generate(GeneratorSources.Good);
        using var stream = new MemoryStream();
        var emit = run.Output.Emit(stream);
        await Assert.That(emit.Success).IsTrue();
        var context = new AssemblyLoadContext("generator-test", isCollectible: true);
        try
        {
            var assembly = context.LoadFromStream(new MemoryStream(stream.ToArray()));
            var args = assembly.GetType("Demo.PlanArgs")!;
            await Assert.That(args.GetField("ToolDescription")!.GetValue(null)).IsEqualTo("Plan \"quoted\" \\ work\nacross lines");

            var parse = args.GetMethod("TryParse")!;
            var input = JsonDocument.Parse("""
                {"title":"t","subtasks":[{"role":"worker"},{"role":"boss","weight":2},{"role":"lead_reviewer","extra":1}],"budget":0,"due":"nope","tags":["a",null]}
                """).RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
            var errors = new ArgumentErrors();
            var parameters = new object?[] { input, null, errors };
            var ok = (bool)parse.Invoke(null, parameters)!;
            await Assert.That(ok).IsFalse();
            await Assert.That(errors.Items).IsEquivalentTo([
                "subtasks[1].role: must be one of worker, lead_reviewer, lead (got \"boss\")",
                "subtasks[1].weight: must be between 0 and 1, got 2",
                "subtasks[2].extra: unknown parameter",
                "budget: must be at least 1, got 0",
                "due: must be an ISO 8601 date-time, got \"nope\"",
                "tags[1]: expected string, got null",
            ]);

            // An array over its bound is refused as a whole, before any item is read (the null item is not reported).
            errors = new ArgumentErrors();
            input = JsonDocument.Parse("""{"title":"t","tags":["a",null,"c","d"]}""").RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
            parameters = [input, null, errors];
            await Assert.That((bool)parse.Invoke(null, parameters)!).IsFalse();
            await Assert.That(errors.Items).IsEquivalentTo(["tags: at most 3 items, got 4"]);

            errors = new ArgumentErrors();
            parameters = [JsonDocument.Parse("{}").RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value), null, errors];
            await Assert.That((bool)parse.Invoke(null, parameters)!).IsFalse();
            await Assert.That(errors.Items).IsEquivalentTo(["title: is required"]);

            errors = new ArgumentErrors();
            input = JsonDocument.Parse("""{"title":"t","subtasks":[{"role":"worker","weight":0.25},{"role":"lead"}],"due":"2025-06-06T12:00:00Z"}""")
                .RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
            parameters = [input, null, errors];
            await Assert.That((bool)parse.Invoke(null, parameters)!).IsTrue();
            var value = parameters[1]!;
            var subtasks = (System.Collections.IList)args.GetProperty("Subtasks")!.GetValue(value)!;
            await Assert.That(subtasks.Count).IsEqualTo(2);
            await Assert.That(subtasks[1]!.GetType().GetProperty("Role")!.GetValue(subtasks[1])!.ToString()).IsEqualTo("LeadReviewer");
            await Assert.That(args.GetProperty("Ratio")!.GetValue(value)).IsEqualTo(0.5f);
            await Assert.That(args.GetProperty("Lead")!.GetValue(value)!.ToString()).IsEqualTo("LeadReviewer");

            var resultType = assembly.GetType("Demo.PlanResult")!;
            var result = Activator.CreateInstance(resultType)!;
            resultType.GetProperty("Accepted")!.SetValue(result, subtasks);
            resultType.GetProperty("Lead")!.SetValue(result, Enum.Parse(assembly.GetType("Demo.Role")!, "Lead"));
            var written = JsonDocument.Parse(ToolResults.Serialize(((IJsonWritable)result).WriteJson)).RootElement;
            await Assert.That(written.GetProperty("lead").GetString()).IsEqualTo("lead_reviewer");
            await Assert.That(written.GetProperty("accepted")[1].GetProperty("role").GetString()).IsEqualTo("lead_reviewer");
            await Assert.That(written.GetProperty("accepted")[0].GetProperty("weight").GetDouble()).IsEqualTo(0.25);
            await Assert.That(written.TryGetProperty("counts", out _)).IsFalse();

            var info = ((System.Collections.IEnumerable)assembly.GetType("Orchestrator.Tooling.GeneratedTools")!
                .GetProperty("All", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!).Cast<ToolInfo>().Single();
            await Assert.That(info.Rules).IsEqualTo(new ToolRules(PerMinute: 3, AllowedDuringMaintenance: true));
            var schema = JsonDocument.Parse(info.InputSchema).RootElement;
            await Assert.That(schema.GetProperty("required").EnumerateArray().Select(e => e.GetString()!).ToList()).IsEquivalentTo(["title"]);
            var items = schema.GetProperty("properties").GetProperty("subtasks").GetProperty("items");
            await Assert.That(items.GetProperty("required")[0].GetString()).IsEqualTo("role");
            await Assert.That(schema.GetProperty("properties").GetProperty("subtasks").GetProperty("default").GetArrayLength()).IsEqualTo(0);
            await Assert.That(schema.GetProperty("properties").GetProperty("ratio").GetProperty("default").GetDouble()).IsEqualTo(0.5);
            // Every array argument states its bound: the declared one, else the default.
            await Assert.That(schema.GetProperty("properties").GetProperty("tags").GetProperty("maxItems").GetInt32()).IsEqualTo(3);
            await Assert.That(schema.GetProperty("properties").GetProperty("subtasks").GetProperty("maxItems").GetInt32()).IsEqualTo(DescribeAttribute.DefaultMaxItems);
        }
        finally
        {
            context.Unload();
        }
    }

    /// <summary>Properties named like the locals the generated code derives from other properties, or like its parameters.</summary>
    private const string LookalikeSource = """
        [McpTool("demo_lookalike", Result = typeof(LookalikeArgs))]
        public sealed partial record LookalikeArgs
        {
            public int Timeout { get; init; }
            public int HasTimeout { get; init; }
            public int TimeoutRead { get; init; }
            public IReadOnlyList<int[]>? Tags { get; init; }
            public int[]? TagsList { get; init; }
            public int[]? TagsItem { get; init; }
            public string? TagsItemList { get; init; }
            public string? TagsItemOrNull { get; init; }
            public bool Argument { get; init; }
            public bool Property { get; init; }
            public bool Record { get; init; }
            public long ErrorCountAtStart { get; init; }
            public string? Arguments { get; init; }
            public string? Element { get; init; }
            public string? Path { get; init; }
            public string? Value { get; init; }
            public string? Errors { get; init; }
            public string? Writer { get; init; }
        }
        """;

    [Test]
    public async Task Properties_named_like_generated_locals_or_parameters_still_compile_and_read()
    {
        var run = Generate(LookalikeSource);
        await Assert.That(run.Generator.Select(d => d.ToString()).ToList()).IsEmpty();
        var problems = run.Compilation.Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.ToString()).ToList();
        await Assert.That(problems).IsEmpty();

        using var stream = new MemoryStream();
        await Assert.That(run.Output.Emit(stream).Success).IsTrue();
        var context = new AssemblyLoadContext("generator-lookalike-test", isCollectible: true);
        try
        {
            var args = context.LoadFromStream(new MemoryStream(stream.ToArray())).GetType("Demo.LookalikeArgs")!;
            var input = JsonDocument.Parse("""
                {"timeout":1,"has_timeout":2,"timeout_read":3,"tags":[[4,5],[6]],"tags_item":[7],"tags_item_list":"x","value":"v","errors":"e"}
                """).RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
            var parameters = new object?[] { input, null, new ArgumentErrors() };
            await Assert.That((bool)args.GetMethod("TryParse")!.Invoke(null, parameters)!).IsTrue();
            var value = parameters[1]!;
            await Assert.That(args.GetProperty("Timeout")!.GetValue(value)).IsEqualTo(1);
            await Assert.That(args.GetProperty("HasTimeout")!.GetValue(value)).IsEqualTo(2);
            await Assert.That(args.GetProperty("TimeoutRead")!.GetValue(value)).IsEqualTo(3);
            var tags = ((System.Collections.IEnumerable)args.GetProperty("Tags")!.GetValue(value)!).Cast<int[]>().ToList();
            await Assert.That(tags.Select(t => string.Join(",", t)).ToList()).IsEquivalentTo(["4,5", "6"]);
            await Assert.That((int[])args.GetProperty("TagsItem")!.GetValue(value)!).IsEquivalentTo([7]);
            await Assert.That(args.GetProperty("TagsItemList")!.GetValue(value)).IsEqualTo("x");
            await Assert.That(args.GetProperty("Value")!.GetValue(value)).IsEqualTo("v");
            await Assert.That(args.GetProperty("Errors")!.GetValue(value)).IsEqualTo("e");

            var written = JsonDocument.Parse(ToolResults.Serialize(((IJsonWritable)value).WriteJson)).RootElement;
            await Assert.That(written.GetProperty("tags")[0][1].GetInt32()).IsEqualTo(5);
            await Assert.That(written.GetProperty("has_timeout").GetInt32()).IsEqualTo(2);
            await Assert.That(written.GetProperty("errors").GetString()).IsEqualTo("e");
        }
        finally
        {
            context.Unload();
        }
    }

    private static readonly Dictionary<string, string> BadSources = new()
    {
        ["ORCH001"] = """
            [McpTool("demo_x", Result = typeof(R))] public sealed partial class XArgs { }
            public sealed partial record R { public int A { get; init; } }
            """,
        ["ORCH001-nonpartial"] = """
            [McpTool("demo_x", Result = typeof(R))] public sealed record XArgs { }
            public sealed partial record R { public int A { get; init; } }
            """,
        ["ORCH002"] = """
            [McpTool("demo_x", Result = typeof(R))] public sealed partial record XArgs { }
            public sealed partial record R { public Inner? Inner { get; init; } }
            public sealed record Inner { public int A { get; init; } }
            """,
        ["ORCH003"] = """
            [McpTool("demo_x", Result = typeof(R))] public sealed partial record XArgs { public Dictionary<string, int>? Map { get; init; } }
            public sealed partial record R { public int A { get; init; } }
            """,
        ["ORCH004"] = """
            [McpTool("demo_x", Result = typeof(R))] public sealed partial record XArgs { [Describe("n", Minimum = 1)] public string? Name { get; init; } }
            public sealed partial record R { public int A { get; init; } }
            """,
        ["ORCH005"] = """
            [McpTool("demo_x")] public sealed partial record XArgs { }
            """,
        ["ORCH005-not-record"] = """
            [McpTool("demo_x", Result = typeof(string))] public sealed partial record XArgs { }
            """,
        ["ORCH006"] = """
            [McpTool("demo_x", Result = typeof(R))] public sealed partial record XArgs { public int Count { get; init; } = Environment.ProcessorCount; }
            public sealed partial record R { public int A { get; init; } }
            """,
        ["ORCH007"] = """
            [McpTool("demo_x", Result = typeof(R))] public sealed partial record XArgs { }
            [McpTool("demo_x", Result = typeof(R))] public sealed partial record YArgs { }
            public sealed partial record R { public int A { get; init; } }
            """,
        ["ORCH008"] = """
            [McpTool("Demo-X", Result = typeof(R))] public sealed partial record XArgs { }
            public sealed partial record R { public int A { get; init; } }
            """,
        ["ORCH009"] = """
            [McpTool("demo_x", Result = typeof(R))] public sealed partial record XArgs(int A);
            public sealed partial record R { public int A { get; init; } }
            """,
        ["ORCH011"] = """
            [McpTool("demo_x", Result = typeof(R))] public sealed partial record XArgs { public int FooBar { get; init; } public int Foo_Bar { get; init; } }
            public sealed partial record R { public int A { get; init; } }
            """,
        ["ORCH012"] = """
            [McpTool("demo_x", Result = typeof(R), PerMinute = -1)] public sealed partial record XArgs { }
            public sealed partial record R { public int A { get; init; } }
            """,
        ["ORCH013"] = """
            [McpTool("demo_x", Result = typeof(R))] public sealed partial record XArgs { [Describe("n", MaxItems = 3)] public int Count { get; init; } }
            public sealed partial record R { public int A { get; init; } }
            """,
        ["ORCH013-not-positive"] = """
            [McpTool("demo_x", Result = typeof(R))] public sealed partial record XArgs { [Describe("n", MaxItems = 0)] public string[]? Tags { get; init; } }
            public sealed partial record R { public int A { get; init; } }
            """,
        ["ORCH010"] = """
            [McpTool("demo_x", Result = typeof(R))] public sealed partial record XArgs { }
            public sealed partial record R { public int A { get; init; } }
            public static partial class Other { [McpTool("demo_y", Result = typeof(R))] public sealed partial record XArgs { } }
            """,
    };

    [Test]
    [Arguments("ORCH001")]
    [Arguments("ORCH001-nonpartial")]
    [Arguments("ORCH002")]
    [Arguments("ORCH003")]
    [Arguments("ORCH004")]
    [Arguments("ORCH005")]
    [Arguments("ORCH005-not-record")]
    [Arguments("ORCH006")]
    [Arguments("ORCH007")]
    [Arguments("ORCH008")]
    [Arguments("ORCH009")]
    [Arguments("ORCH010")]
    [Arguments("ORCH011")]
    [Arguments("ORCH012")]
    [Arguments("ORCH013")]
    [Arguments("ORCH013-not-positive")]
    public async Task Bad_source_reports_its_diagnostic(string key)
    {
        var run = Generate(BadSources[key]);
        var id = key[..7];
        var ids = run.Generator.Select(d => d.Id).Distinct().ToList();
        await Assert.That(ids).Contains(id);
        var diagnostic = run.Generator.First(d => d.Id == id);
        await Assert.That(diagnostic.Severity).IsEqualTo(DiagnosticSeverity.Error);
        await Assert.That(diagnostic.Descriptor.Category).IsEqualTo("Orchestrator.Generators");
        // Never a crash (CS8785 is "generator failed").
        await Assert.That(run.Result.Results.All(r => r.Exception is null)).IsTrue();
        await Assert.That(ids).DoesNotContain("CS8785");
    }

    [Test]
    public async Task Unsupported_type_diagnostic_names_the_property_and_type()
    {
        var run = Generate(BadSources["ORCH003"]);
        var message = run.Generator.Single(d => d.Id == "ORCH003").GetMessage();
        await Assert.That(message).Contains("XArgs.Map");
        await Assert.That(message).Contains("Dictionary<string, int>");
    }

    [Test]
    public async Task Negative_rate_limit_names_the_tool_and_leaves_it_out()
    {
        var run = Generate(BadSources["ORCH012"]);
        var diagnostic = run.Generator.Single(d => d.Id == "ORCH012");
        await Assert.That(diagnostic.GetMessage()).Contains("'demo_x' sets PerMinute = -1");
        await Assert.That(run.Result.GeneratedTrees.Select(t => Path.GetFileName(t.FilePath))).DoesNotContain("Orchestrator.Tooling.GeneratedTools.g.cs");
    }
}
