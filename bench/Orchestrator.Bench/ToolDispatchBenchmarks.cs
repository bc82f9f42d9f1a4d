using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using ModelContextProtocol.Protocol;
using Orchestrator.Reboot.Contract;
using Orchestrator.Tooling;
using Orchestrator.Transport;

namespace Orchestrator.Bench;

/// <summary>
/// The transport's share of one tool call, without the handler: parsing the incoming <c>tools/call</c> frame into the
/// SDK's message type and routing it (<see cref="FrameSummary"/>), then shaping a health-check result as an MCP
/// <c>CallToolResult</c> and serializing the JSON-RPC response frame.
/// Baseline: <c>JsonDocument.Parse</c> of the same frame, i.e. the cost of merely reading its JSON.
/// </summary>
[MemoryDiagnoser]
public class ToolDispatchBenchmarks
{
    private static readonly byte[] Frame = Encoding.UTF8.GetBytes(
        """{"jsonrpc":"2.0","id":17,"method":"tools/call","params":{"name":"orchestrator_health_check","arguments":{"include_reboot_readiness":true,"include_connection_status":true,"include_database_status":true},"_meta":{"progressToken":"health-17"}}}""");

    private static readonly HealthCheckResult Health = new()
    {
        Healthy = true,
        Timestamp = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero),
        ServerVersion = "0.1.0",
        Checks = new HealthChecks
        {
            RebootReadiness = new RebootReadiness
            {
                Ready = true,
                Issues = [],
                Details = new RebootReadinessDetails
                {
                    Executable = "/usr/local/bin/orchestrator",
                    SnapshotDirectory = "/run/user/1000/orchestrator",
                    InFlightRequests = 1,
                    HeldRequests = 0,
                    RestartInProgress = false,
                    RestartRetryAfter = 0,
                },
            },
            Database = new DatabaseHealth { Connected = true, Status = "ok", ProbeMilliseconds = 0.042, Path = "/var/lib/orchestrator/orchestrator.db" },
            Connections = new ConnectionHealth { ActiveConnections = 1, Status = "connected", Transport = "stdio" },
        },
    };

    private static readonly RequestId Id = new(17);

    [GlobalSetup]
    public void Setup()
    {
        if (ParseFrame() != "orchestrator_health_check") throw new InvalidOperationException("frame did not route to the health check");
        var response = Encoding.UTF8.GetString(BuildAndSerializeResult());
        if (!response.Contains("\"structuredContent\"", StringComparison.Ordinal) || !response.Contains("\"id\":17", StringComparison.Ordinal))
            throw new InvalidOperationException("unexpected response frame: " + response);
    }

    [Benchmark(Baseline = true, Description = "JsonDocument.Parse (frame)")]
    public JsonValueKind ParseDocument()
    {
        using var document = JsonDocument.Parse(Frame);
        return document.RootElement.ValueKind;
    }

    /// <summary>What <c>StdioTransport.OnFrame</c> does before the gate: deserialize with the SDK's metadata, then summarize.</summary>
    [Benchmark(Description = "Deserialize(McpJson.Message) + FrameSummary.Of")]
    public string? ParseFrame()
    {
        var message = JsonSerializer.Deserialize(Frame, McpJson.Message)!;
        return FrameSummary.Of(message).ToolName;
    }

    /// <summary>Only the result shaping: generated WriteJson, text block and structuredContent.</summary>
    [Benchmark(Description = "ToolInvoker.ToResult (HealthCheckResult)")]
    public CallToolResult BuildResult() => ToolInvoker.ToResult(Health);

    /// <summary>The answer as it goes out: ToResult, the CallToolResult as the response's result node, the frame's bytes.</summary>
    [Benchmark(Description = "ToResult + serialize JsonRpcResponse")]
    public byte[] BuildAndSerializeResult()
    {
        var result = ToolInvoker.ToResult(Health);
        JsonRpcMessage response = new JsonRpcResponse { Id = Id, Result = JsonSerializer.SerializeToNode(result, McpJson.CallToolResult) };
        return JsonSerializer.SerializeToUtf8Bytes(response, McpJson.Message);
    }
}
