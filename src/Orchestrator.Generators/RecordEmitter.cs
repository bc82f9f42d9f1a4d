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

        // Members are separated by one blank line, with none after the opening or before the closing brace.
        var members = 0;
        void NextMember()
        {
            if (members++ > 0) w.Line();
        }

        if (tool is not null)
        {
            NextMember();
            w.Line($"public const string ToolName = {Naming.CSharpString(tool.ToolName)};");
            w.Line($"public const string ToolDescription = {Naming.CSharpString(tool.Description)};");
            w.Line($"public const string ToolGroup = {Naming.CSharpString(tool.Group)};");
            NextMember();
            w.Line("/// <summary>The tool's inputSchema, minified UTF-8 JSON.</summary>");
            w.Line($"public static global::System.ReadOnlySpan<byte> InputSchemaUtf8 => {Naming.CSharpString(schemas.Build(self, input: true, withRequestId: tool.Idempotent))}u8;");
            NextMember();
            w.Line("/// <summary>The tool's outputSchema (its Result record), minified UTF-8 JSON.</summary>");
            w.Line($"public static global::System.ReadOnlySpan<byte> OutputSchemaUtf8 => {Naming.CSharpString(schemas.Build(tool.ResultFullName, input: false))}u8;");
            NextMember();
            ArgumentReaderEmitter.EmitTryParse(w, record);
        }
        if (record.ReadFromArguments)
        {
            NextMember();
            ArgumentReaderEmitter.EmitTryRead(w, record);
        }
        if (record.WrittenAsResult)
        {
            NextMember();
            JsonWriterEmitter.EmitWriteJson(w, record);
        }

        w.Close();
        foreach (var _ in record.ContainingTypes) w.Close();
        if (record.Namespace is not null) w.Close();
        return w.ToString();
    }
}
