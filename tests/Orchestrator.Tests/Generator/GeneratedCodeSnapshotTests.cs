using Microsoft.CodeAnalysis;

namespace Orchestrator.Tests.Generator;

/// <summary>
/// Pins the generated code itself: any change to what the generator writes shows up here as a diff to review
/// (and to accept with ORCHESTRATOR_UPDATE_SNAPSHOTS=1), not only as a change of behaviour.
/// </summary>
public class GeneratedCodeSnapshotTests
{
    [Test]
    public async Task Every_generated_file_matches_its_snapshot()
    {
        var compilation = GeneratorHarness.Compile(GeneratorHarness.Parse(GeneratorSources.Snapshot, "Demo.cs"));
        var driver = GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        await Assert.That(diagnostics.Select(d => d.ToString()).ToList()).IsEmpty();
        // The snapshots pin code that compiles, without warnings.
        await Assert.That(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.ToString()).ToList()).IsEmpty();

        var generated = driver.GetRunResult().Results.Single().GeneratedSources
            .ToDictionary(s => s.HintName, s => s.SourceText.ToString(), StringComparer.Ordinal);
        await Assert.That(generated.Count).IsGreaterThan(0);
        var problems = Snapshots.Verify(generated);
        if (problems.Count > 0) Assert.Fail(string.Join("\n\n", problems));
    }
}
