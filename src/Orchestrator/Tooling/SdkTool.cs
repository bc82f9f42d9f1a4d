using System.Text.Json;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Orchestrator.Tooling;

/// <summary>
/// One tool as the MCP SDK's server sees it: an adapter over the <see cref="ToolTable"/>, the same entry point the stdio
/// fast path calls. One class serves every tool; its protocol description is built once from the generated schemas.
/// </summary>
internal sealed class SdkTool : McpServerTool
{
    private readonly ToolTable _table;
    private readonly Func<IToolCaller> _caller;
    private readonly Tool _tool;

    private SdkTool(ToolInfo info, ToolTable table, Func<IToolCaller> caller)
    {
        _table = table;
        _caller = caller;
        _tool = new Tool
        {
            Name = info.Name,
            Description = info.Description,
            InputSchema = JsonElement.Parse(info.InputSchema),
            OutputSchema = JsonElement.Parse(info.OutputSchema),
        };
    }

    /// <summary>The SDK tools of everything <paramref name="table"/> serves; <paramref name="caller"/> names who is calling, per call.</summary>
    public static IEnumerable<McpServerTool> For(ToolTable table, Func<IToolCaller> caller) =>
        table.Served.Select(info => new SdkTool(info, table, caller));

    public override Tool ProtocolTool => _tool;

    public override IReadOnlyList<object> Metadata => [];

    public override async ValueTask<CallToolResult> InvokeAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken = default)
    {
        if (!_table.TryFind(_tool.Name, out var endpoint))
            throw new InvalidOperationException($"tool {_tool.Name} is listed but not bound");
        var context = new ToolCallContext(request.JsonRpcRequest.Id, request.Params?.ProgressToken, _caller(), request.Server.ClientInfo?.Name);
        var arguments = request.Params?.Arguments as IReadOnlyDictionary<string, JsonElement>;
        var outcome = await _table.CallAsync(endpoint, arguments, context, cancellationToken).ConfigureAwait(false);
        return outcome.Error is { } error ? ToolResults.ToResult(error) : ToolResults.ToResult(outcome.Result!, _table.Links);
    }
}
