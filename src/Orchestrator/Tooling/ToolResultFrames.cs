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
    /// <param name="links">Finds the resources the result mentions, each written as a <c>resource_link</c> item after the text.</param>
    public static byte[] Success(ReadOnlySpan<byte> rawRequestId, IJsonWritable result, IResourceLinker? links = null)
    {
        var json = ToolResults.Serialize(result.WriteJson);
        if (links is null) return Frame(rawRequestId, json, isError: false, []);
        using var written = JsonDocument.Parse(json);
        return Frame(rawRequestId, json, isError: false, links.LinksIn(written.RootElement));
    }

    public static byte[] Failure(ReadOnlySpan<byte> rawRequestId, ToolError error, DateTimeOffset now) =>
        Frame(rawRequestId, ToolResults.Serialize(w => error.WriteJson(w, now)), isError: true, []);

    private static byte[] Frame(ReadOnlySpan<byte> rawRequestId, byte[] json, bool isError, IReadOnlyList<ResourceLink> links)
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
            foreach (var link in links)
            {
                w.WriteStartObject();
                w.WriteString("type"u8, "resource_link"u8);
                w.WriteString("uri"u8, link.Uri);
                w.WriteString("name"u8, link.Name);
                if (link.Title is { } title) w.WriteString("title"u8, title);
                if (link.MimeType is { } mimeType) w.WriteString("mimeType"u8, mimeType);
                w.WriteEndObject();
            }
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
