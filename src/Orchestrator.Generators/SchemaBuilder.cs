using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Orchestrator.Generators;

/// <summary>Builds the minified JSON schemas of tool inputs and outputs from the record models.</summary>
internal sealed class SchemaBuilder(IReadOnlyDictionary<string, RecordModel> records)
{
    /// <summary>The largest <c>request_id</c> an idempotent tool accepts (the runtime's <c>IdempotentRequest.MaxRequestId</c>).</summary>
    public const int MaxRequestId = 200;

    /// <summary>What the schema of an idempotent tool says of its <c>request_id</c>, which the tool runtime reads before the tool's own arguments.</summary>
    public const string RequestIdSchema = "{\"type\":\"string\",\"description\":\"Makes this call safe to retry: the same request_id with the same arguments answers the first answer again and changes nothing more (for 24 hours); with different arguments it is refused. 1-200 characters, unique per change (a UUID)\",\"maxLength\":200}";

    /// <summary>
    /// The schema of a tool's arguments (<paramref name="input"/>) or result: always with <c>required</c>. An idempotent
    /// tool's arguments also list <c>request_id</c> (<paramref name="withRequestId"/>).
    /// </summary>
    public string Build(string recordName, bool input, bool withRequestId = false)
    {
        var sb = new StringBuilder();
        WriteObject(sb, records[recordName], input, alwaysRequired: true, description: null, stack: [], withRequestId);
        return sb.ToString();
    }

    private void WriteObject(StringBuilder sb, RecordModel record, bool input, bool alwaysRequired, string? description, HashSet<string> stack,
        bool withRequestId = false)
    {
        sb.Append("{\"type\":\"object\"");
        if (description is not null) sb.Append(",\"description\":").Append(Naming.JsonString(description));
        if (!stack.Add(record.FullName))
        {
            // A record that contains itself: stop at the repeated level rather than recursing forever.
            sb.Append('}');
            return;
        }
        var properties = record.Properties.Where(p => !input || p.CanWrite).ToList();
        sb.Append(",\"properties\":{");
        for (var i = 0; i < properties.Count; i++)
        {
            if (i > 0) sb.Append(',');
            sb.Append(Naming.JsonString(properties[i].JsonName)).Append(':');
            WriteProperty(sb, properties[i], input, stack);
        }
        if (withRequestId) sb.Append(properties.Count > 0 ? "," : "").Append("\"request_id\":").Append(RequestIdSchema);
        sb.Append('}');
        var required = properties.Where(p => p.IsRequired).ToList();
        if (alwaysRequired || required.Count > 0)
            sb.Append(",\"required\":[").Append(string.Join(",", required.Select(p => Naming.JsonString(p.JsonName)))).Append(']');
        sb.Append('}');
        stack.Remove(record.FullName);
    }

    /// <summary>An input array states the bound its reader enforces (<see cref="PropertyModel.ArgumentMaxItems"/>); a result's, a declared one only.</summary>
    private void WriteProperty(StringBuilder sb, PropertyModel property, bool input, HashSet<string> stack) =>
        WriteValue(sb, property.Type, input, stack, property.Description, property.DefaultJson, property.Minimum, property.Maximum,
            input ? property.ArgumentMaxItems : property.MaxItems);

    private void WriteValue(StringBuilder sb, TypeModel type, bool input, HashSet<string> stack,
        string? description, string? defaultJson, double minimum, double maximum, int maxItems)
    {
        if (type.Kind == ValueKind.Record)
        {
            if (records.TryGetValue(type.TypeName, out var record))
                WriteObject(sb, record, input, alwaysRequired: false, description, stack);
            else
                sb.Append("{\"type\":\"object\"}");
            return;
        }
        sb.Append("{\"type\":").Append(type.Kind switch
        {
            ValueKind.Boolean => "\"boolean\"",
            ValueKind.Int32 or ValueKind.Int64 => "\"integer\"",
            ValueKind.Double or ValueKind.Single => "\"number\"",
            ValueKind.Array => "\"array\"",
            _ => "\"string\"",
        });
        if (type.Kind == ValueKind.DateTimeOffset) sb.Append(",\"format\":\"date-time\"");
        if (description is not null) sb.Append(",\"description\":").Append(Naming.JsonString(description));
        if (defaultJson is not null) sb.Append(",\"default\":").Append(defaultJson);
        if (!double.IsNaN(minimum)) sb.Append(",\"minimum\":").Append(Naming.JsonNumber(minimum));
        if (!double.IsNaN(maximum)) sb.Append(",\"maximum\":").Append(Naming.JsonNumber(maximum));
        if (type.Kind == ValueKind.Enum)
            sb.Append(",\"enum\":[").Append(string.Join(",", type.EnumMembers.Select(m => Naming.JsonString(Naming.SnakeCase(m))))).Append(']');
        if (type.Kind == ValueKind.Array && maxItems > 0) sb.Append(",\"maxItems\":").Append(maxItems);
        if (type.Kind == ValueKind.Array && type.Element is { } element)
        {
            sb.Append(",\"items\":");
            WriteValue(sb, element, input, stack, null, null, double.NaN, double.NaN, input ? PropertyModel.DefaultMaxItems : 0);
        }
        sb.Append('}');
    }
}
