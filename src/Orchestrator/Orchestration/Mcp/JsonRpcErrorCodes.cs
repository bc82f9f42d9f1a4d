namespace Orchestrator.Orchestration.Mcp;

/// <summary>JSON-RPC error codes this server uses besides the standard ones.</summary>
internal static class JsonRpcErrorCodes
{
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;
    public const int InternalError = -32603;

    /// <summary>A call answered by a non-graceful restart instead of by its handler.</summary>
    public const int Interrupted = -32001;
}
