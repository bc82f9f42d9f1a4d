using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Orchestrator.Http;

/// <summary>A tool as the HTTP endpoint serves it: the same tool, its calls counted in <see cref="HttpCallsInFlight"/> until answered.</summary>
internal sealed class CountedTool(McpServerTool inner, HttpCallsInFlight calls) : DelegatingMcpServerTool(inner)
{
    public override async ValueTask<CallToolResult> InvokeAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken = default)
    {
        calls.Begin(request.JsonRpcRequest);
        try
        {
            return await base.InvokeAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // A cancelled request gets no answer at all: nothing more to wait for.
            calls.Answered(request.JsonRpcRequest);
            throw;
        }
    }
}
