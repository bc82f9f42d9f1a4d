using System.Linq;
using static Orchestrator.Generators.GeneratedNames;

namespace Orchestrator.Generators;

/// <summary>
/// Emits the methods that read a record from JSON: <c>TryParse</c> for a tool's arguments (a dictionary, fields at
/// the root) and <c>TryRead</c> for a nested object (fields under a path). Both report every bad field, not the first.
/// </summary>
internal static class ArgumentReaderEmitter
{
    public static void EmitTryParse(CodeWriter w, RecordModel record)
    {
        w.Line("/// <summary>Parses and validates tool-call arguments, reporting every invalid one; null arguments mean all defaults.</summary>");
        w.Open($"public static bool TryParse(global::System.Collections.Generic.IReadOnlyDictionary<string, {JsonElement}>? arguments, out {record.FullName}? value, {ArgumentErrors} errors)");
        EmitReadBody(w, record, "if (arguments is not null) foreach (var __entry in arguments)", "__entry.Key", "__entry.Value",
            json => Naming.CSharpString(json), "__entry.Key");
        w.Close();
    }

    public static void EmitTryRead(CodeWriter w, RecordModel record)
    {
        w.Line("/// <summary>Reads this record from a JSON object at <paramref name=\"path\"/>, reporting every invalid field.</summary>");
        w.Open($"internal static bool TryRead({JsonElement} element, string path, out {record.FullName}? value, {ArgumentErrors} errors)");
        w.Open($"if (element.ValueKind != {JsonValueKind}.Object)");
        w.Line($"errors.Add(path.Length == 0 ? \"$\" : path, {Reader}.Expected(\"object\", element));");
        w.Line("value = null;");
        w.Line("return false;");
        w.Close();
        EmitReadBody(w, record, "foreach (var __entry in element.EnumerateObject())", "__entry.Name", "__entry.Value",
            json => $"{Reader}.Field(path, {Naming.CSharpString(json)})", $"{Reader}.Field(path, __entry.Name)");
        w.Close();
    }

    private static void EmitReadBody(CodeWriter w, RecordModel record, string loop, string key, string element,
        System.Func<string, string> field, string unknownField)
    {
        var properties = record.Properties.Where(p => p.CanWrite).ToList();
        w.Line("var __start = errors.Count;");
        for (var i = 0; i < properties.Count; i++)
        {
            w.Line($"var __has{i} = false;");
            w.Line($"{properties[i].Type.DeclaredName} __v{i} = default!;");
        }
        w.Open(loop);
        w.Open($"switch ({key})");
        var counter = 0;
        for (var i = 0; i < properties.Count; i++)
        {
            w.Line($"case {Naming.CSharpString(properties[i].JsonName)}:");
            w.Indent++;
            w.Line($"__has{i} = true;");
            EmitReadValue(w, properties[i].Type, element, field(properties[i].JsonName), $"__v{i}", properties[i].Minimum, properties[i].Maximum, ref counter);
            w.Line("break;");
            w.Indent--;
        }
        w.Line("default:");
        w.Indent++;
        w.Line($"errors.Add({unknownField}, \"unknown parameter\");");
        w.Line("break;");
        w.Indent--;
        w.Close();
        w.Close();
        for (var i = 0; i < properties.Count; i++)
            if (properties[i].IsRequired)
                w.Line($"if (!__has{i}) errors.Add({field(properties[i].JsonName)}, \"is required\");");
        w.Open("if (errors.Count != __start)");
        w.Line("value = null;");
        w.Line("return false;");
        w.Close();
        var required = properties.Select((p, i) => (p, i)).Where(x => x.p.IsRequired).ToList();
        var optional = properties.Select((p, i) => (p, i)).Where(x => !x.p.IsRequired).ToList();
        w.Line($"var __result = new {record.FullName}{(required.Count > 0 ? " { " + string.Join(", ", required.Select(x => $"{x.p.Name} = __v{x.i}")) + " }" : "()")};");
        if (optional.Count > 0)
        {
            w.Line($"if ({string.Join(" || ", optional.Select(x => $"__has{x.i}"))})");
            w.Line($"    __result = __result with {{ {string.Join(", ", optional.Select(x => $"{x.p.Name} = __has{x.i} ? __v{x.i} : __result.{x.p.Name}"))} }};");
        }
        w.Line("value = __result;");
        w.Line("return true;");
    }

    private static void EmitReadValue(CodeWriter w, TypeModel type, string element, string field, string target,
        double minimum, double maximum, ref int counter)
    {
        var n = ++counter;
        if (type.IsNullable)
        {
            w.Open($"if ({element}.ValueKind == {JsonValueKind}.Null)");
            w.Line($"{target} = null;");
            w.Close();
            w.Open("else");
            EmitReadValue(w, type with { IsNullable = false }, element, field, target, minimum, maximum, ref counter);
            w.Close();
            return;
        }
        var bounds = $"{Naming.CSharpDouble(minimum)}, {Naming.CSharpDouble(maximum)}";
        switch (type.Kind)
        {
            case ValueKind.Boolean: w.Line($"if ({Reader}.ReadBoolean({element}, {field}, errors, out var __t{n})) {target} = __t{n};"); break;
            case ValueKind.Int32: w.Line($"if ({Reader}.ReadInt32({element}, {field}, errors, {bounds}, out var __t{n})) {target} = __t{n};"); break;
            case ValueKind.Int64: w.Line($"if ({Reader}.ReadInt64({element}, {field}, errors, {bounds}, out var __t{n})) {target} = __t{n};"); break;
            case ValueKind.Double: w.Line($"if ({Reader}.ReadDouble({element}, {field}, errors, {bounds}, out var __t{n})) {target} = __t{n};"); break;
            case ValueKind.Single: w.Line($"if ({Reader}.ReadSingle({element}, {field}, errors, {bounds}, out var __t{n})) {target} = __t{n};"); break;
            case ValueKind.String: w.Line($"if ({Reader}.ReadString({element}, {field}, errors, out var __t{n})) {target} = __t{n};"); break;
            case ValueKind.DateTimeOffset: w.Line($"if ({Reader}.ReadDateTimeOffset({element}, {field}, errors, out var __t{n})) {target} = __t{n};"); break;
            case ValueKind.Enum: w.Line($"if ({EnumHelpers}.Read_{Naming.Identifier(type.TypeName)}({element}, {field}, errors, out var __t{n})) {target} = __t{n};"); break;
            case ValueKind.Record: w.Line($"if ({type.TypeName}.TryRead({element}, {field}, out var __t{n}, errors)) {target} = __t{n}!;"); break;
            case ValueKind.Array:
                var elementType = type.Element!;
                w.Open($"if ({element}.ValueKind != {JsonValueKind}.Array)");
                w.Line($"errors.Add({field}, {Reader}.Expected(\"array\", {element}));");
                w.Close();
                w.Open("else");
                w.Line($"var __list{n} = new global::System.Collections.Generic.List<{elementType.DeclaredName}>({element}.GetArrayLength());");
                w.Line($"var __i{n} = 0;");
                w.Open($"foreach (var __item{n} in {element}.EnumerateArray())");
                w.Line($"{elementType.DeclaredName} __e{n} = default!;");
                EmitReadValue(w, elementType, $"__item{n}", $"{Reader}.Index({field}, __i{n})", $"__e{n}", double.NaN, double.NaN, ref counter);
                w.Line($"__list{n}.Add(__e{n});");
                w.Line($"__i{n}++;");
                w.Close();
                w.Line($"{target} = __list{n}{(type.ArrayIsNative ? ".ToArray()" : "")};");
                w.Close();
                break;
        }
    }
}
