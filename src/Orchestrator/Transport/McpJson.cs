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

/// <summary>JSON-RPC error codes this server uses besides the standard ones.</summary>
internal static class JsonRpcErrorCodes
{
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;
    public const int InternalError = -32603;


    /// <summary>A call answered by a non-graceful restart instead of by its handler.</summary>
    public const int Interrupted = -32001;
}
