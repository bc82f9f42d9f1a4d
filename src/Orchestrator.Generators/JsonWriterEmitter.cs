using static Orchestrator.Generators.GeneratedNames;

namespace Orchestrator.Generators;

/// <summary>Emits a record's <c>WriteJson</c>: its properties in declaration order, snake_case names, null properties left out.</summary>
internal static class JsonWriterEmitter
{
    public static void EmitWriteJson(CodeWriter w, RecordModel record)
    {
        w.Line("/// <summary>Writes this record as a JSON object; null properties are omitted.</summary>");
        w.Open("public void WriteJson(global::System.Text.Json.Utf8JsonWriter writer)");
        w.Line("writer.WriteStartObject();");
        var names = new LocalNames();
        foreach (var property in record.Properties)
            EmitWriteProperty(w, names, property.Type, $"this.{property.Name}", Naming.CSharpString(property.JsonName) + "u8", Naming.LocalStem(property.JsonName));
        w.Line("writer.WriteEndObject();");
        w.Close();
    }

    /// <summary>Writes a property unless it is null; <paramref name="stem"/> names the locals (<c>__lead</c> holds a non-null <c>this.Lead</c>).</summary>
    private static void EmitWriteProperty(CodeWriter w, LocalNames names, TypeModel type, string value, string name, string stem)
    {
        if (type.IsNullable || !type.IsValueType)
        {
            var present = names.Claim(stem);
            w.Open($"if ({value} is {{ }} {present})");
            EmitWriteValue(w, names, type, present, name, stem);
            w.Close();
        }
        else
        {
            EmitWriteValue(w, names, type, value, name, stem);
        }
    }

    /// <summary>Writes a non-null value, as property <paramref name="name"/> (a u8 literal) or, when that is null, as an array element.</summary>
    private static void EmitWriteValue(CodeWriter w, LocalNames names, TypeModel type, string value, string? name, string stem)
    {
        string Call(string method, string argument) =>
            name is null ? $"writer.{method}Value({argument});" : $"writer.{method}({name}, {argument});";
        switch (type.Kind)
        {
            case ValueKind.Boolean: w.Line(Call("WriteBoolean", value)); break;
            case ValueKind.Int32:
            case ValueKind.Int64:
            case ValueKind.Double:
            case ValueKind.Single: w.Line(Call("WriteNumber", value)); break;
            case ValueKind.String: w.Line(Call("WriteString", value)); break;
            case ValueKind.DateTimeOffset: w.Line(Call("WriteString", $"{ResultFormat}.FormatDateTime({value})")); break;
            case ValueKind.Enum: w.Line(Call("WriteString", $"{EnumHelpers}.ToWire({value})")); break;
            case ValueKind.Record:
                if (name is not null) w.Line($"writer.WritePropertyName({name});");
                w.Line($"{value}.WriteJson(writer);");
                break;
            case ValueKind.Array:
                w.Line(name is null ? "writer.WriteStartArray();" : $"writer.WriteStartArray({name});");
                var element = type.Element!;
                var itemStem = stem + "Item";
                if (element.IsNullable || !element.IsValueType)
                {
                    // Null elements stay in the array as null: dropping them would shift the positions of the others.
                    var itemOrNull = names.Claim(itemStem + "OrNull");
                    var item = names.Claim(itemStem);
                    w.Open($"foreach (var {itemOrNull} in {value})");
                    w.Open($"if ({itemOrNull} is {{ }} {item})");
                    EmitWriteValue(w, names, element, item, null, itemStem);
                    w.Close();
                    w.Line("else writer.WriteNullValue();");
                }
                else
                {
                    var item = names.Claim(itemStem);
                    w.Open($"foreach (var {item} in {value})");
                    EmitWriteValue(w, names, element, item, null, itemStem);
                }
                w.Close();
                w.Line("writer.WriteEndArray();");
                break;
        }
    }
}
