using System.Security.Cryptography;
using System.Text.Json;

namespace Orchestrator.Tooling;

/// <summary>
/// A call to an idempotent tool that named a <c>request_id</c>: the id, and what makes two calls the same call (the tool
/// and a fingerprint of its other arguments). The handler keeps the first answer under the id, in the transaction of the
/// change; the same id with the same call answers it again, with another call is refused.
/// </summary>
public sealed record IdempotentRequest(string Tool, string RequestId, string Fingerprint)
{
    public const string ArgumentName = "request_id";
    public const int MaxRequestId = 200;

    /// <summary>How long a request id is remembered; a retry after that is a new call.</summary>
    public static readonly TimeSpan Kept = TimeSpan.FromHours(24);

    /// <summary>
    /// Takes <c>request_id</c> out of <paramref name="arguments"/> (the tool's own parser knows nothing of it) and returns
    /// the request, or null when the call gave none; a bad one is reported in <paramref name="errors"/>.
    /// </summary>
    internal static IdempotentRequest? Read(string tool, ref IReadOnlyDictionary<string, JsonElement>? arguments, ArgumentErrors errors)
    {
        if (arguments is null || !arguments.TryGetValue(ArgumentName, out var value)) return null;
        var rest = new Dictionary<string, JsonElement>(arguments.Count, StringComparer.Ordinal);
        foreach (var (name, argument) in arguments)
            if (name != ArgumentName) rest[name] = argument;
        arguments = rest;
        if (value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(ArgumentName, "must be a string");
            return null;
        }
        if (!JsonArgumentReader.ReadText(value, ArgumentName, errors, out var id)) return null;
        if (id.Length is 0 or > MaxRequestId || string.IsNullOrWhiteSpace(id))
        {
            errors.Add(ArgumentName, $"must be 1-{MaxRequestId} characters, not blank");
            return null;
        }
        return new IdempotentRequest(tool, id, Hash(rest));
    }

    /// <summary>SHA-256 of the arguments written canonically (object members sorted, no white space), so that the same call hashes the same however it was spelled.</summary>
    private static string Hash(IReadOnlyDictionary<string, JsonElement> arguments)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in arguments.OrderBy(a => a.Key, StringComparer.Ordinal))
            {
                writer.WritePropertyName(name);
                WriteCanonical(writer, value);
            }
            writer.WriteEndObject();
        }
        return Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan));
    }

    private static void WriteCanonical(Utf8JsonWriter writer, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in value.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    WriteCanonical(writer, property.Value);
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in value.EnumerateArray()) WriteCanonical(writer, item);
                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                // A string that is not valid Unicode (an unpaired surrogate escape) cannot be unescaped: hashed as written,
                // and its own tool's parser refuses it.
                try
                {
                    writer.WriteStringValue(value.GetString());
                }
                catch (InvalidOperationException)
                {
                    writer.WriteRawValue(value.GetRawText(), skipInputValidation: true);
                }
                break;
            default:
                value.WriteTo(writer);
                break;
        }
    }
}

/// <summary>An answer kept as JSON text, written back as it was.</summary>
internal sealed class StoredAnswer(string json) : IJsonWritable
{
    public void WriteJson(Utf8JsonWriter writer) => writer.WriteRawValue(json, skipInputValidation: true);
}
