using System.Buffers;
using System.Text.Json;

namespace Orchestrator.Tooling;

/// <summary>
/// Whole JSON-RPC answer frames for a tool call, written without the SDK's serializer: used where the MCP server
/// object does not exist yet (the new image answering the restart call). The shape is the one
/// <see cref="ToolResults.ToResult(IJsonWritable)"/> gives the SDK: text block plus structuredContent, or isError.
/// </summary>
internal static class ToolResultFrames
{
    public static byte[] Success(ReadOnlySpan<byte> rawRequestId, IJsonWritable result) =>
        Frame(rawRequestId, ToolResults.Serialize(result.WriteJson), isError: false);

    public static byte[] Failure(ReadOnlySpan<byte> rawRequestId, ToolError error, DateTimeOffset now) =>
        Frame(rawRequestId, ToolResults.Serialize(w => error.WriteJson(w, now)), isError: true);

    private static byte[] Frame(ReadOnlySpan<byte> rawRequestId, byte[] json, bool isError)
    {
        var buffer = new ArrayBufferWriter<byte>(json.Length * 2 + 128);
        using (var w = new Utf8JsonWriter(buffer, ToolResults.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("jsonrpc"u8, "2.0"u8);
            w.WritePropertyName("id"u8);
            w.WriteRawValue(rawRequestId, skipInputValidation: false);
            w.WriteStartObject("result"u8);
            w.WriteStartArray("content"u8);
            w.WriteStartObject();
            w.WriteString("type"u8, "text"u8);
            w.WriteString("text"u8, json);
            w.WriteEndObject();
            w.WriteEndArray();
            if (!isError)
            {
                w.WritePropertyName("structuredContent"u8);
                w.WriteRawValue(json, skipInputValidation: true);
            }
            w.WriteBoolean("isError"u8, isError);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
