using System.Collections.Generic;
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
        var names = new LocalNames();
        var properties = PropertyLocals.Claim(record, names);
        var argument = names.Claim("argument");
        EmitReadBody(w, record, properties, names, $"if (arguments is not null) foreach (var {argument} in arguments)",
            $"{argument}.Key", $"{argument}.Value", json => Naming.CSharpString(json), $"{argument}.Key");
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
        var names = new LocalNames();
        var properties = PropertyLocals.Claim(record, names);
        var property = names.Claim("property");
        EmitReadBody(w, record, properties, names, $"foreach (var {property} in element.EnumerateObject())",
            $"{property}.Name", $"{property}.Value", json => $"{Reader}.Field(path, {Naming.CSharpString(json)})", $"{Reader}.Field(path, {property}.Name)");
        w.Close();
    }

    /// <summary>
    /// Reads every property into its own local, noting which were given; then reports the missing required ones and,
    /// if nothing was wrong, builds the record: required properties in the initializer, given optional ones through
    /// <c>with</c> so that the others keep their declared defaults.
    /// </summary>
    private static void EmitReadBody(CodeWriter w, RecordModel record, IReadOnlyList<PropertyLocals> properties, LocalNames names,
        string loop, string key, string element, System.Func<string, string> field, string unknownField)
    {
        var errorCountAtStart = names.Claim("errorCountAtStart");
        var built = names.Claim("record");
        w.Line($"var {errorCountAtStart} = errors.Count;");
        foreach (var p in properties)
        {
            w.Line($"var {p.Given} = false;");
            w.Line($"{p.Property.Type.DeclaredName} {p.Value} = default!;");
        }
        w.Open(loop);
        w.Open($"switch ({key})");
        foreach (var p in properties)
        {
            w.Line($"case {Naming.CSharpString(p.Property.JsonName)}:");
            w.Indent++;
            w.Line($"{p.Given} = true;");
            EmitReadValue(w, names, p.Property.Type, element, field(p.Property.JsonName), p.Value, p.Stem, p.Property.Minimum, p.Property.Maximum,
                p.Property.ArgumentMaxItems);
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
        foreach (var p in properties)
            if (p.Property.IsRequired)
                w.Line($"if (!{p.Given}) errors.Add({field(p.Property.JsonName)}, \"is required\");");
        w.Open($"if (errors.Count != {errorCountAtStart})");
        w.Line("value = null;");
        w.Line("return false;");
        w.Close();
        var required = properties.Where(p => p.Property.IsRequired).ToList();
        var optional = properties.Where(p => !p.Property.IsRequired).ToList();
        w.Line($"var {built} = new {record.FullName}{(required.Count > 0 ? " { " + string.Join(", ", required.Select(p => $"{p.Property.Name} = {p.Value}")) + " }" : "()")};");
        if (optional.Count > 0)
        {
            w.Line($"if ({string.Join(" || ", optional.Select(p => p.Given))})");
            w.Line($"    {built} = {built} with {{ {string.Join(", ", optional.Select(p => $"{p.Property.Name} = {p.Given} ? {p.Value} : {built}.{p.Property.Name}"))} }};");
        }
        w.Line($"value = {built};");
        w.Line("return true;");
    }

    /// <summary>
    /// Reads the JSON value <paramref name="element"/> into <paramref name="target"/>, or reports it at
    /// <paramref name="field"/>. <paramref name="stem"/> names the value (<c>timeout</c>, <c>tagsItem</c>) and so the
    /// locals this read needs. An array longer than <paramref name="maxItems"/> is refused before any item is read.
    /// </summary>
    private static void EmitReadValue(CodeWriter w, LocalNames names, TypeModel type, string element, string field, string target,
        string stem, double minimum, double maximum, int maxItems)
    {
        if (type.IsNullable)
        {
            w.Open($"if ({element}.ValueKind == {JsonValueKind}.Null)");
            w.Line($"{target} = null;");
            w.Close();
            w.Open("else");
            EmitReadValue(w, names, type with { IsNullable = false }, element, field, target, stem, minimum, maximum, maxItems);
            w.Close();
            return;
        }
        var bounds = $"{Naming.CSharpDouble(minimum)}, {Naming.CSharpDouble(maximum)}";
        switch (type.Kind)
        {
            case ValueKind.Boolean: EmitRead(read => $"{Reader}.ReadBoolean({element}, {field}, errors, out var {read})"); break;
            case ValueKind.Int32: EmitRead(read => $"{Reader}.ReadInt32({element}, {field}, errors, {bounds}, out var {read})"); break;
            case ValueKind.Int64: EmitRead(read => $"{Reader}.ReadInt64({element}, {field}, errors, {bounds}, out var {read})"); break;
            case ValueKind.Double: EmitRead(read => $"{Reader}.ReadDouble({element}, {field}, errors, {bounds}, out var {read})"); break;
            case ValueKind.Single: EmitRead(read => $"{Reader}.ReadSingle({element}, {field}, errors, {bounds}, out var {read})"); break;
            case ValueKind.String: EmitRead(read => $"{Reader}.ReadString({element}, {field}, errors, out var {read})"); break;
            case ValueKind.DateTimeOffset: EmitRead(read => $"{Reader}.ReadDateTimeOffset({element}, {field}, errors, out var {read})"); break;
            case ValueKind.Enum: EmitRead(read => $"{EnumHelpers}.Read_{Naming.Identifier(type.TypeName)}({element}, {field}, errors, out var {read})"); break;
            // TryRead's out value is null only when it returns false.
            case ValueKind.Record: EmitRead(read => $"{type.TypeName}.TryRead({element}, {field}, out var {read}, errors)", "!"); break;
            case ValueKind.Array:
                var elementType = type.Element!;
                var itemStem = stem + "Item";
                var list = names.Claim(stem + "List");
                var index = names.Claim(stem + "Index");
                var itemElement = names.Claim(itemStem + "Element");
                var item = names.Claim(itemStem);
                w.Open($"if ({element}.ValueKind != {JsonValueKind}.Array)");
                w.Line($"errors.Add({field}, {Reader}.Expected(\"array\", {element}));");
                w.Close();
                // Counted before walked: a call cannot make the server read (or report on) more items than the bound.
                w.Open($"else if ({element}.GetArrayLength() > {maxItems})");
                w.Line($"errors.Add({field}, {Reader}.TooManyItems({maxItems}, {element}));");
                w.Close();
                w.Open("else");
                w.Line($"var {list} = new global::System.Collections.Generic.List<{elementType.DeclaredName}>({element}.GetArrayLength());");
                w.Line($"var {index} = 0;");
                w.Open($"foreach (var {itemElement} in {element}.EnumerateArray())");
                w.Line($"{elementType.DeclaredName} {item} = default!;");
                EmitReadValue(w, names, elementType, itemElement, $"{Reader}.Index({field}, {index})", item, itemStem, double.NaN, double.NaN,
                    PropertyModel.DefaultMaxItems);
                w.Line($"{list}.Add({item});");
                w.Line($"{index}++;");
                w.Close();
                w.Line($"{target} = {list}{(type.ArrayIsNative ? ".ToArray()" : "")};");
                w.Close();
                break;
        }

        // The reader's out variable (named by the call) is declared in the condition; the target is assigned only on success.
        void EmitRead(System.Func<string, string> call, string suppression = "")
        {
            var read = names.Claim(stem + "Read");
            w.Line($"if ({call(read)}) {target} = {read}{suppression};");
        }
    }

    /// <summary>The locals that hold one property while its record is read: its value, and whether the JSON gave it.</summary>
    private sealed record PropertyLocals(PropertyModel Property, string Stem, string Value, string Given)
    {
        /// <summary>Claims the locals of every property that arguments can set, in declaration order.</summary>
        public static IReadOnlyList<PropertyLocals> Claim(RecordModel record, LocalNames names) =>
            record.Properties.Where(p => p.CanWrite).Select(p =>
            {
                var stem = Naming.LocalStem(p.JsonName);
                return new PropertyLocals(p, stem, names.Claim(stem), names.Claim("has" + Naming.UpperFirst(stem)));
            }).ToList();
    }
}
