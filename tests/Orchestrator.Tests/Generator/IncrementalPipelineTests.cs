using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Orchestrator.Generators;

namespace Orchestrator.Tests.Generator;

/// <summary>
/// Checks that the generator's pipeline caches: an edit that changes no tool must stop at the cache (the IDE reruns
/// generators on every keystroke), while a change to a tool must reach the generated code.
/// </summary>
public class IncrementalPipelineTests
{
    private const string ContractPath = "Contract.cs";
    private const string HandlerPath = "Handler.cs";

    /// <summary>Code beside the tools that generates nothing, as the server's handlers are.</summary>
    private const string HandlerSource = """
        public static class PlanCounter
        {
            // Counts the plans stored so far.
            public static int Count() { return 1; }
        }
        """;

    private static readonly string[] TrackedSteps = [TrackingNames.ToolRoots, TrackingNames.ModelRoots, TrackingNames.Spec];

    private static (GeneratorDriver Driver, Compilation Compilation) FirstRun()
    {
        var compilation = GeneratorHarness.Compile(
            GeneratorHarness.Parse(GeneratorSources.Snapshot, ContractPath),
            GeneratorHarness.Parse(HandlerSource, HandlerPath));
        var driver = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(compilation);
        return (driver, compilation);
    }

    private static Compilation Edit(Compilation compilation, string path, Func<string, string> edit)
    {
        var tree = compilation.SyntaxTrees.Single(t => t.FilePath == path);
        var text = tree.GetText().ToString();
        var edited = edit(text);
        if (edited == text) throw new InvalidOperationException($"the edit of {path} changed nothing");
        return compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(SourceText.From(edited)));
    }

    private static List<IncrementalStepRunReason> Reasons(GeneratorRunResult result, string step) =>
        result.TrackedSteps[step].SelectMany(run => run.Outputs).Select(output => output.Reason).ToList();

    private static List<IncrementalStepRunReason> SourceOutputReasons(GeneratorRunResult result) =>
        result.TrackedOutputSteps[WellKnownGeneratorOutputs.SourceOutput].SelectMany(run => run.Outputs).Select(output => output.Reason).ToList();

    private static async Task AssertNothingRecomputed(GeneratorRunResult result)
    {
        foreach (var step in TrackedSteps)
        {
            await Assert.That(result.TrackedSteps.ContainsKey(step)).IsTrue().Because($"step {step} must be tracked");
            var reasons = Reasons(result, step);
            await Assert.That(reasons).IsNotEmpty().Because($"step {step} must have run");
            await Assert.That(reasons.All(r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged)).IsTrue()
                .Because($"step {step} reported {string.Join(", ", reasons)}");
        }
        var outputs = SourceOutputReasons(result);
        await Assert.That(outputs).IsNotEmpty();
        await Assert.That(outputs.All(r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged)).IsTrue()
            .Because($"the source output step reported {string.Join(", ", outputs)}");
    }

    [Test]
    public async Task Adding_an_unrelated_file_recomputes_nothing()
    {
        var (driver, compilation) = FirstRun();
        var next = compilation.AddSyntaxTrees(GeneratorHarness.Parse("public static class Unrelated { public static int Answer() => 42; }", "Unrelated.cs"));
        var result = driver.RunGenerators(next).GetRunResult().Results.Single();
        await AssertNothingRecomputed(result);
    }

    [Test]
    public async Task Editing_a_method_body_or_a_comment_recomputes_nothing()
    {
        var (driver, compilation) = FirstRun();
        var next = Edit(compilation, HandlerPath, text => text
            .Replace("return 1;", "var plans = 2; return plans;")
            .Replace("// Counts the plans stored so far.", "// Counts every plan stored so far."));
        next = Edit(next, ContractPath, text => text + "\n// A note after the declarations.\n");
        var result = driver.RunGenerators(next).GetRunResult().Results.Single();
        await AssertNothingRecomputed(result);
    }

    [Test]
    public async Task Changing_a_description_reaches_the_generated_code()
    {
        var (driver, compilation) = FirstRun();
        var next = Edit(compilation, ContractPath, text => text.Replace("\"Archive finished plans\"", "\"Archive the finished plans\""));
        var result = driver.RunGenerators(next).GetRunResult().Results.Single();
        await Assert.That(Reasons(result, TrackingNames.ToolRoots)).Contains(IncrementalStepRunReason.Modified);
        await Assert.That(Reasons(result, TrackingNames.Spec)).IsEquivalentTo([IncrementalStepRunReason.Modified]);
        await Assert.That(SourceOutputReasons(result)).Contains(IncrementalStepRunReason.Modified);
        var archive = result.GeneratedSources.Single(s => s.HintName == "Demo.ArchiveArgs.g.cs").SourceText.ToString();
        await Assert.That(archive).Contains("ToolDescription = \"Archive the finished plans\"");
    }

    /// <summary>
    /// Caching is only as good as the models' equality: they must hold values that compare by content, never a
    /// symbol, syntax node, location or plain array (which compare by reference and would defeat every cache).
    /// </summary>
    [Test]
    public async Task Pipeline_models_hold_only_values_that_compare_by_content()
    {
        var problems = new List<string>();
        var seen = new HashSet<Type>();
        Check(typeof(ParseResult), "ParseResult");
        Check(typeof(GenerationSpec), "GenerationSpec");
        await Assert.That(problems).IsEmpty();
        await Assert.That(seen).Contains(typeof(TypeModel));

        void Check(Type type, string path)
        {
            if (Nullable.GetUnderlyingType(type) is { } underlying) type = underlying;
            if (type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(TextSpan) || type == typeof(LinePositionSpan)
                || type == typeof(DiagnosticDescriptor))
                return;
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(EquatableArray<>))
            {
                Check(type.GetGenericArguments()[0], path + "[]");
                return;
            }
            if (type.Assembly != typeof(ParseResult).Assembly || !typeof(IEquatable<>).MakeGenericType(type).IsAssignableFrom(type))
            {
                problems.Add($"{path} is a {type.FullName}, which does not compare by content");
                return;
            }
            if (!seen.Add(type)) return;
            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
                Check(field.FieldType, $"{path}.{field.Name}");
        }
    }
}
