using Orchestrator.Tooling;

namespace Orchestrator.Reboot.Contract;

[McpTool("orchestrator_reconnect_test", Description = "Tests client reconnection capabilities and connection management functionality.",
    Result = typeof(ReconnectTestResult), Group = "reboot",
    PerMinute = 5, AllowedDuringMaintenance = true)]
public sealed partial record ReconnectTestArgs
{
    [Describe("Specific session ID to test (optional)")]
    public string? SessionId { get; init; }

    [Describe("Whether to include request buffer status")]
    public bool IncludeBufferStatus { get; init; } = true;

    [Describe("Whether to include reconnection statistics")]
    public bool IncludeReconnectionStats { get; init; } = true;
}

public sealed partial record ReconnectTestResult
{
    [Describe("Whether the test completed successfully")]
    public required bool TestCompleted { get; init; }

    public required DateTimeOffset Timestamp { get; init; }
    public required ReconnectTestStatus OverallStatus { get; init; }
    public ReconnectResults? Results { get; init; }
}

[McpModel]
public sealed partial record ReconnectResults
{
    public SessionTest? SessionTest { get; init; }
    public AllSessionsTest? AllSessions { get; init; }
    public BufferStatus? BufferStatus { get; init; }
    public ReconnectionStats? ReconnectionStats { get; init; }
}

[McpModel]
public sealed partial record SessionTest
{
    public required string SessionId { get; init; }
    public required bool Reachable { get; init; }
    public required bool ReconnectCapable { get; init; }
    public required string Status { get; init; }
}

[McpModel]
public sealed partial record AllSessionsTest
{
    public required int TotalSessions { get; init; }
    public required int ReachableSessions { get; init; }
    public required int ReconnectCapable { get; init; }
    public required string Status { get; init; }
}

[McpModel]
public sealed partial record BufferStatus
{
    public required int TotalBufferedRequests { get; init; }
    public required int SessionsWithBuffers { get; init; }
    public required string Status { get; init; }
}

[McpModel]
public sealed partial record ReconnectionStats
{
    public required int SuccessfulReconnections { get; init; }
    public required int FailedReconnections { get; init; }

    [Describe("Mean seconds from restart call to the session being served again")]
    public required double AverageReconnectionTime { get; init; }

    public required string Status { get; init; }
}
