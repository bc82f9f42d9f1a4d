using System.Buffers;
using System.Text;
using System.Text.Json;
using ModelContextProtocol.Protocol;

namespace Orchestrator.Tooling;

/// <summary>A tool's outcome as JSON: written with the server's writer options, and shaped as the MCP SDK's <c>CallToolResult</c>.</summary>
public static class ToolResults
{
    // Tool results travel inside JSON strings, never inside HTML: escape only what JSON requires, so the text block stays readable.
    internal static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// A success: the result as <c>structuredContent</c> and the same JSON as the text block, then a <c>resource_link</c>
    /// for each resource it mentions (<paramref name="links"/>), found in the same parsed JSON.
    /// </summary>
    public static CallToolResult ToResult(IJsonWritable result, IResourceLinker? links = null)
    {
        var json = Serialize(result.WriteJson);
        var structured = JsonElement.Parse(json);
        var content = new List<ContentBlock> { new TextContentBlock { Text = Encoding.UTF8.GetString(json) } };
        if (links is not null)
            foreach (var link in links.LinksIn(structured))
                content.Add(new ResourceLinkBlock { Uri = link.Uri, Name = link.Name, Title = link.Title, MimeType = link.MimeType });
        return new CallToolResult
        {
            Content = content,
            StructuredContent = structured,
            IsError = false,
        };
    }

    /// <summary>A failure in the seed's error format, flagged <c>isError</c>; it carries no structuredContent since it does not follow the outputSchema.</summary>
    public static CallToolResult ToResult(ToolError error)
    {
        var now = DateTimeOffset.UtcNow;
        var json = Serialize(w => error.WriteJson(w, now));
        return new CallToolResult
        {
            Content = [new TextContentBlock { Text = Encoding.UTF8.GetString(json) }],
            IsError = true,
        };
    }

    /// <param name="capacity">The buffer's first size: the expected length, for a large answer that would otherwise grow by copies.</param>
    public static byte[] Serialize(Action<Utf8JsonWriter> write, int capacity = 512)
    {
        var buffer = new ArrayBufferWriter<byte>(capacity);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions)) write(writer);
        return buffer.WrittenSpan.ToArray();
    }
}
