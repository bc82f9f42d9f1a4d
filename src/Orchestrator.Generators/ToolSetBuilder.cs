using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;

namespace Orchestrator.Generators;

/// <summary>
/// The step between parsing and emitting. Each root (a tool or a model) is parsed alone; here the roots meet: tool
/// and handler names are checked for uniqueness across the assembly, roots with a problem are left out, the records
/// reached from several roots are merged, and every diagnostic is collected. Works on models only.
/// </summary>
internal static class ToolSetBuilder
{
    public static GenerationSpec Build(ImmutableArray<ParseResult> tools, ImmutableArray<ParseResult> models, CancellationToken cancellationToken)
    {
        var diagnostics = new List<DiagnosticInfo>();
        // A record reached from several roots reports its problem once per root; the user needs to read it once.
        var seen = new HashSet<DiagnosticInfo>();
        foreach (var result in tools.Concat(models))
            foreach (var diagnostic in result.Diagnostics)
                if (seen.Add(diagnostic)) diagnostics.Add(diagnostic);

        // A root with a problem generates nothing: its code would not compile, or would not match what it declares.
        var valid = tools.Where(t => t.Tool is not null && t.Diagnostics.Count == 0).ToList();
        valid = DropDuplicates(valid, t => t.Tool!.ToolName, Diagnostics.DuplicateToolName, diagnostics,
            group => [group.Key, string.Join(", ", group.Select(t => t.Tool!.ArgsFullName.Replace("global::", "")))]);
        valid = DropDuplicates(valid, t => t.Tool!.HandlerName, Diagnostics.DuplicateHandlerName, diagnostics,
            group => [group.First().Tool!.ToolName, group.Skip(1).First().Tool!.ToolName, group.Key]);
        cancellationToken.ThrowIfCancellationRequested();

        var records = MergeRecords(valid.Concat(models.Where(m => m.Diagnostics.Count == 0)));
        var enums = new Dictionary<string, TypeModel>();
        foreach (var record in records)
            foreach (var property in record.Properties)
                CollectEnums(property.Type, enums);

        return new GenerationSpec(
            valid.Select(t => t.Tool!).OrderBy(t => t.ToolName, StringComparer.Ordinal).ToEquatableArray(),
            records.OrderBy(r => r.FullName, StringComparer.Ordinal).ToEquatableArray(),
            enums.Values.OrderBy(e => e.TypeName, StringComparer.Ordinal).ToEquatableArray(),
            diagnostics.ToEquatableArray());
    }

    /// <summary>Leaves out every root whose key another root shares, and reports each of them.</summary>
    private static List<ParseResult> DropDuplicates(List<ParseResult> tools, Func<ParseResult, string> key,
        Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, List<DiagnosticInfo> diagnostics, Func<IGrouping<string, ParseResult>, string[]> arguments)
    {
        var duplicates = tools.GroupBy(key).Where(g => g.Count() > 1).ToList();
        foreach (var group in duplicates)
            foreach (var tool in group)
                diagnostics.Add(new DiagnosticInfo(descriptor, tool.Tool!.Location, arguments(group).ToEquatableArray()));
        var drop = new HashSet<string>(duplicates.Select(g => g.Key));
        return tools.Where(t => !drop.Contains(key(t))).ToList();
    }

    /// <summary>One model per record; a record read from arguments by one root and written as a result by another needs both.</summary>
    private static IReadOnlyCollection<RecordModel> MergeRecords(IEnumerable<ParseResult> roots)
    {
        var records = new Dictionary<string, RecordModel>();
        foreach (var root in roots)
            foreach (var record in root.Records)
                records[record.FullName] = records.TryGetValue(record.FullName, out var known)
                    ? known with
                    {
                        ReadFromArguments = known.ReadFromArguments || record.ReadFromArguments,
                        WrittenAsResult = known.WrittenAsResult || record.WrittenAsResult,
                    }
                    : record;
        return records.Values;
    }

    /// <summary>Enums need one <c>ToWire</c> and one reader each, whether they are used nullable, in a list, or not.</summary>
    private static void CollectEnums(TypeModel type, Dictionary<string, TypeModel> enums)
    {
        if (type.Kind == ValueKind.Enum) enums[type.TypeName] = type with { IsNullable = false };
        if (type.Element is { } element) CollectEnums(element, enums);
    }
}
