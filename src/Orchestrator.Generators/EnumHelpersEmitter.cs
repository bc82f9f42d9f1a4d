using System.Collections.Generic;
using System.Linq;
using static Orchestrator.Generators.GeneratedNames;

namespace Orchestrator.Generators;

/// <summary>
/// Emits <c>GeneratedJsonHelpers</c>: per enum, its <c>ToWire</c> extension (hand-written code calls it through
/// <c>using Orchestrator.Tooling;</c>) and its reader. The only helpers that depend on the model; the rest is
/// hand-written (JsonArgumentReader).
/// </summary>
internal static class EnumHelpersEmitter
{
    public static string Emit(IEnumerable<TypeModel> enums)
    {
        var w = new CodeWriter();
        w.Raw(FileHeader);
        w.Open("namespace Orchestrator.Tooling");
        w.Line("/// <summary>The enum conversions of the generated tool code: wire names (<c>ToWire</c>) and readers; the rest is in JsonArgumentReader.</summary>");
        w.Open("internal static class GeneratedJsonHelpers");
        var first = true;
        foreach (var type in enums)
        {
            var id = Naming.Identifier(type.TypeName);
            var wire = type.EnumMembers.Select(m => (Member: m, Wire: Naming.SnakeCase(m))).ToList();
            if (!first) w.Line();
            first = false;
            w.Line("/// <summary>The snake_case wire name of the member, as the schemas spell it.</summary>");
            w.Open($"public static string ToWire(this {type.TypeName} value) => value switch");
            foreach (var member in type.EnumWrittenMembers) w.Line($"{type.TypeName}.{member} => {Naming.CSharpString(Naming.SnakeCase(member))},");
            w.Line("_ => ((long)value).ToString(global::System.Globalization.CultureInfo.InvariantCulture),");
            w.Indent--;
            w.Line("};");
            w.Line();
            w.Line("/// <summary>Reads the member a wire name (or an alias's) stands for; anything else is reported with the names allowed.</summary>");
            w.Open($"public static bool Read_{id}({JsonElement} element, string field, {ArgumentErrors} errors, out {type.TypeName} value)");
            w.Line("value = default;");
            w.Line($"if (!{Reader}.ReadString(element, field, errors, out var text)) return false;");
            w.Open("switch (text)");
            foreach (var (member, name) in wire)
                w.Line($"case {Naming.CSharpString(name)}: value = {type.TypeName}.{member}; return true;");
            w.Close();
            var list = string.Join(", ", wire.Select(x => x.Wire));
            w.Line($"errors.Add(field, {Naming.CSharpString("must be one of " + list + " (got ")} + element.GetRawText() + \")\");");
            w.Line("return false;");
            w.Close();
        }
        w.Close();
        w.Close();
        return w.ToString();
    }
}
