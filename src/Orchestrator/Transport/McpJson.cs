using System.Text.Json.Serialization.Metadata;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Orchestrator.Transport;

/// <summary>The SDK's source-generated JSON metadata for the protocol types this project writes itself.</summary>
internal static class McpJson
{
    public static JsonTypeInfo<JsonRpcMessage> Message { get; } = Get<JsonRpcMessage>();

    private static JsonTypeInfo<T> Get<T>() => (JsonTypeInfo<T>)McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(T));
}
