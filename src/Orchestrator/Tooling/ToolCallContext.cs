using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Orchestrator.Tooling;

/// <summary>What a handler may know of the call besides its arguments: who asked, under which request id, and how to report progress.</summary>
public sealed class ToolCallContext(McpServer? server, RequestId requestId, ProgressToken? progressToken)
{
    public McpServer? Server { get; } = server;
    public RequestId RequestId { get; } = requestId;
    public ProgressToken? ProgressToken { get; } = progressToken;

    /// <summary>The HTTP request this call came in, if it came over HTTP.</summary>
    internal Http.HttpCaller? HttpCaller { get; } = Http.HttpCaller.Current;

    /// <summary>
    /// The key rate limits are counted under: over stdio there is one client per process; over HTTP, a session
    /// (2025-11-25 clients) or else the bearer token or address the request came with.
    /// </summary>
    public string ClientKey => HttpCaller?.ClientKey ?? "stdio";

    public static ToolCallContext From(RequestContext<CallToolRequestParams> request) =>
        new(request.Server, request.JsonRpcRequest.Id, request.Params?.ProgressToken);
}
