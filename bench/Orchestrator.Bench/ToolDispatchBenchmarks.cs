using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using ModelContextProtocol.Protocol;
using Orchestrator.Orchestration.Mcp;
using Orchestrator.Reboot.Contract;
using Orchestrator.Tooling;

namespace Orchestrator.Bench;

/// <summary>
/// The transport's share of one tool call, without the handler: reading the incoming <c>tools/call</c> frame enough to
/// route it (<see cref="IncomingFrame"/>: method, id, tool name), then writing the answer frame the fast path sends
/// (<see cref="ToolResultFrames"/>: text block and structuredContent from the generated writer), and, for comparison,
/// shaping the same result as the SDK's <c>CallToolResult</c> (<see cref="ToolResults.ToResult(IJsonWritable)"/>), which
/// the SDK's server object serializes when it serves the call.
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
                    ActiveSubtasks = 0,
                    RestartInProgress = false,
                    RestartRetryAfter = 0,
                },
            },
            Database = new DatabaseHealth { Connected = true, Status = "ok", ProbeMilliseconds = 0.042, Path = "/var/lib/orchestrator/orchestrator.db" },
            Connections = new ConnectionHealth { ActiveConnections = 1, Status = "connected", Transport = "stdio" },
        },
    };

    private static readonly byte[] RawId = "17"u8.ToArray();

    [GlobalSetup]
    public void Setup()
    {
        if (RouteFrame() != "orchestrator_health_check") throw new InvalidOperationException("frame did not route to the health check");
        var response = Encoding.UTF8.GetString(WriteAnswerFrame());
        if (!response.Contains("\"structuredContent\"", StringComparison.Ordinal) || !response.Contains("\"id\":17", StringComparison.Ordinal))
            throw new InvalidOperationException("unexpected response frame: " + response);
        if (BuildResult().StructuredContent is null) throw new InvalidOperationException("the SDK result has no structuredContent");
    }

    [Benchmark(Baseline = true, Description = "JsonDocument.Parse (frame)")]
    public JsonValueKind ParseDocument()
    {
        using var document = JsonDocument.Parse(Frame);
        return document.RootElement.ValueKind;
    }

    /// <summary>What the transport does with every frame before the gate: parse it and pick out method, id and tool.</summary>
    [Benchmark(Description = "IncomingFrame.Parse (route)")]
    public string? RouteFrame() => IncomingFrame.Parse(Frame, out _)?.ToolName;

    /// <summary>The fast path's answer: the generated writer's JSON as text block and structuredContent, in one frame.</summary>
    [Benchmark(Description = "ToolResultFrames.Success (answer frame)")]
    public byte[] WriteAnswerFrame() => ToolResultFrames.Success(RawId, Health);

    /// <summary>The same result shaped for the SDK's server object (used when it, not the fast path, serves the call).</summary>
    [Benchmark(Description = "ToolResults.ToResult (HealthCheckResult)")]
    public CallToolResult BuildResult() => ToolResults.ToResult(Health);
}
