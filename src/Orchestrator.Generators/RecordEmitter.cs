using static Orchestrator.Generators.GeneratedNames;

namespace Orchestrator.Generators;

/// <summary>
/// The generated half of one partial record: a tool's name, description, group and schemas, and, as the record is
/// used, its argument readers (<see cref="ArgumentReaderEmitter"/>) and its JSON writer (<see cref="JsonWriterEmitter"/>).
/// </summary>
internal static class RecordEmitter
{
    public static string Emit(RecordModel record, ToolModel? tool, SchemaBuilder schemas)
    {
        var w = new CodeWriter();
        w.Raw(FileHeader);
        if (record.Namespace is not null) w.Open($"namespace {record.Namespace}");
        foreach (var outer in record.ContainingTypes) w.Open(outer);
        var interfaces = record.WrittenAsResult ? " : global::Orchestrator.Tooling.IJsonWritable" : "";
        w.Open($"partial record {record.Name}{interfaces}");
        var self = record.FullName;

        if (tool is not null)
        {
            w.Line($"public const string ToolName = {Naming.CSharpString(tool.ToolName)};");
            w.Line($"public const string ToolDescription = {Naming.CSharpString(tool.Description)};");
            w.Line($"public const string ToolGroup = {Naming.CSharpString(tool.Group)};");
            w.Line();
            w.Line("/// <summary>The tool's inputSchema, minified UTF-8 JSON.</summary>");
            w.Line($"public static global::System.ReadOnlySpan<byte> InputSchemaUtf8 => {Naming.CSharpString(schemas.Build(self, input: true))}u8;");
            w.Line();
            w.Line("/// <summary>The tool's outputSchema (its Result record), minified UTF-8 JSON.</summary>");
            w.Line($"public static global::System.ReadOnlySpan<byte> OutputSchemaUtf8 => {Naming.CSharpString(schemas.Build(tool.ResultFullName, input: false))}u8;");
            w.Line();
            ArgumentReaderEmitter.EmitTryParse(w, record);
            w.Line();
        }

        if (record.ReadFromArguments)
        {
            ArgumentReaderEmitter.EmitTryRead(w, record);
            w.Line();
        }

        if (record.WrittenAsResult) JsonWriterEmitter.EmitWriteJson(w, record);

        w.Close();
        foreach (var _ in record.ContainingTypes) w.Close();
        if (record.Namespace is not null) w.Close();
        return w.ToString();
    }
}
