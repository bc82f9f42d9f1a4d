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
        var counter = 0;
        foreach (var property in record.Properties)
            EmitWriteProperty(w, property.Type, $"this.{property.Name}", Naming.CSharpString(property.JsonName) + "u8", ref counter);
        w.Line("writer.WriteEndObject();");
        w.Close();
    }

    private static void EmitWriteProperty(CodeWriter w, TypeModel type, string value, string name, ref int counter)
    {
        if (type.IsNullable || !type.IsValueType)
        {
            var n = ++counter;
            w.Open($"if ({value} is {{ }} __w{n})");
            EmitWriteValue(w, type, $"__w{n}", name, ref counter);
            w.Close();
        }
        else
        {
            EmitWriteValue(w, type, value, name, ref counter);
        }
    }

    /// <summary>Writes a non-null value, as property <paramref name="name"/> (a u8 literal) or as an array element when null.</summary>
    private static void EmitWriteValue(CodeWriter w, TypeModel type, string value, string? name, ref int counter)
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
                var n = ++counter;
                w.Line(name is null ? "writer.WriteStartArray();" : $"writer.WriteStartArray({name});");
                w.Open($"foreach (var __a{n} in {value})");
                var element = type.Element!;
                if (element.IsNullable || !element.IsValueType)
                {
                    w.Open($"if (__a{n} is {{ }} __b{n})");
                    EmitWriteValue(w, element, $"__b{n}", null, ref counter);
                    w.Close();
                    w.Line("else writer.WriteNullValue();");
                }
                else
                {
                    EmitWriteValue(w, element, $"__a{n}", null, ref counter);
                }
                w.Close();
                w.Line("writer.WriteEndArray();");
                break;
        }
    }
}
