using System.Buffers;
using System.Text.Json;

namespace Orchestrator.Orchestration.Mcp;

/// <summary>The server-initiated notifications both transports send, as JSON-RPC message bytes.</summary>
internal static class McpNotifications
{
    /// <summary><c>notifications/resources/updated</c> for a subscribed resource that changed.</summary>
    public static byte[] ResourceUpdated(string uri)
    {
        var buffer = new ArrayBufferWriter<byte>(128 + uri.Length);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("jsonrpc"u8, "2.0"u8);
            writer.WriteString("method"u8, "notifications/resources/updated"u8);
            writer.WriteStartObject("params"u8);
            writer.WriteString("uri"u8, uri);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary><c>notifications/{kind}/list_changed</c>, <paramref name="kind"/> being <c>tools</c>, <c>prompts</c> or <c>resources</c>.</summary>
    public static byte[] ListChanged(string kind) =>
        System.Text.Encoding.UTF8.GetBytes($$"""{"jsonrpc":"2.0","method":"notifications/{{kind}}/list_changed"}""");
}
