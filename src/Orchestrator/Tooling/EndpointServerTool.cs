using System.Text.Json;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Orchestrator.Tooling;

/// <summary>
/// A <see cref="ToolEndpoint"/> as the MCP SDK's server object lists and calls it, for the requests the transport's
/// fast path leaves to the SDK (Streamable HTTP). The call itself goes through the same endpoint as the fast path's.
/// </summary>
internal sealed class EndpointServerTool(ToolEndpoint endpoint) : McpServerTool
{
    private readonly Tool _tool = new()
    {
        Name = endpoint.Info.Name,
        Description = endpoint.Info.Description,
        InputSchema = JsonElement.Parse(endpoint.Info.InputSchema),
        OutputSchema = JsonElement.Parse(endpoint.Info.OutputSchema),
    };

    public override Tool ProtocolTool => _tool;

    public override IReadOnlyList<object> Metadata => [];

    public override async ValueTask<CallToolResult> InvokeAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken = default)
    {
        var arguments = request.Params?.Arguments as IReadOnlyDictionary<string, JsonElement>;
        var outcome = await endpoint.InvokeAsync(arguments, ToolCallContext.From(request), cancellationToken).ConfigureAwait(false);
        return outcome.Error is { } error ? ToolInvoker.ToResult(error) : ToolInvoker.ToResult(outcome.Result!);
    }
}
