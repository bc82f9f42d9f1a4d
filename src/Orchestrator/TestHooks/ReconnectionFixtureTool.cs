using System.Text.Json;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Orchestrator.TestHooks;

/// <summary>
/// <c>test_reconnection</c>, the fixture tool of the official conformance suite's <c>server-sse-polling</c> scenario
/// (SEP-1699), served over HTTP only with <c>ORCHESTRATOR_TEST_HOOKS=conformance-fixtures</c>: it ends its call's event
/// stream once the stream has begun (the SDK's polling: the client is told to reconnect), stays in flight a moment longer,
/// and answers into the kept stream (<c>Http/SseEventStore</c>), where the client that resumes with <c>Last-Event-ID</c>
/// finds it. What it exercises is the server's own resumption; only the name and the answer are the suite's.
/// </summary>
internal sealed class ReconnectionFixtureTool : McpServerTool
{
    /// <summary>How long the call outlives its stream: the answer must be written after the stream ended, not before.</summary>
    private static readonly TimeSpan AnswerAfter = TimeSpan.FromMilliseconds(300);

    private static readonly Tool Declared = new()
    {
        Name = "test_reconnection",
        Description = "Test hook (conformance fixture): ends its event stream mid-call, then answers into the kept stream",
        InputSchema = JsonElement.Parse("""{"type":"object","properties":{}}"""),
    };

    public override Tool ProtocolTool => Declared;

    public override IReadOnlyList<object> Metadata => [];

    public override async ValueTask<CallToolResult> InvokeAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken = default)
    {
        await request.EnablePollingAsync(TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
        await Task.Delay(AnswerAfter, cancellationToken).ConfigureAwait(false);
        return new CallToolResult { Content = [new TextContentBlock { Text = "Reconnection test completed" }] };
    }
}
