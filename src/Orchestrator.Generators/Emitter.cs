using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace Orchestrator.Generators;

/// <summary>One generated file: the hint name it is added under and its C# text.</summary>
internal readonly record struct GeneratedSource(string HintName, string Text);

/// <summary>
/// Turns a <see cref="GenerationSpec"/> into source text, and does nothing else: the spec has already been
/// checked, and its diagnostics are reported by the pipeline, not here.
/// </summary>
internal static class Emitter
{
    public static IReadOnlyList<GeneratedSource> Emit(GenerationSpec spec, CancellationToken cancellationToken)
    {
        var sources = new List<GeneratedSource>();
        if (spec.Tools.Count == 0 && spec.Records.Count == 0) return sources;

        var schemas = new SchemaBuilder(spec.Records.ToDictionary(r => r.FullName));
        var toolsByArgs = spec.Tools.ToDictionary(t => t.ArgsFullName);
        foreach (var record in spec.Records)
        {
            cancellationToken.ThrowIfCancellationRequested();
            toolsByArgs.TryGetValue(record.FullName, out var tool);
            sources.Add(new GeneratedSource(record.FileHint + ".g.cs", RecordEmitter.Emit(record, tool, schemas)));
        }
        sources.Add(new GeneratedSource("Orchestrator.Tooling.GeneratedJsonHelpers.g.cs", EnumHelpersEmitter.Emit(spec.Enums)));
        if (spec.Tools.Count > 0)
            sources.Add(new GeneratedSource("Orchestrator.Tooling.GeneratedTools.g.cs", RegistryEmitter.Emit(spec.Tools)));
        return sources;
    }
}
