using Orchestrator.Reboot.Snapshot;
using Orchestrator.Tooling;

namespace Orchestrator.Reboot;

/// <summary>
/// What a restart needs from the transport it runs over (stdio or Streamable HTTP): hold new work, drain or
/// interrupt the calls in flight, stop reading at a message boundary, and say what the next image must carry.
/// </summary>
internal interface IRestartTransport
{
    /// <summary>Whether a client can reach this server now.</summary>
    bool IsConnected { get; }

    /// <summary>Requests being served, the restart call included.</summary>
    int InFlight { get; }

    /// <summary>Requests received and waiting for the restart to complete.</summary>
    int Held { get; }

    /// <summary>Maintenance mode: from here on only the tools allowed during maintenance and pings are served; other work waits.</summary>
    void EnterMaintenance();

    /// <summary>Completes when nothing but the restart call is in flight.</summary>
    Task WaitUntilOnlyAsync(ToolCallContext restartCall, CancellationToken cancellationToken);

    /// <summary>A non-graceful restart: the calls in flight are answered as interrupted (or dropped with their connection).</summary>
    void InterruptAllExcept(ToolCallContext restartCall);

    /// <summary>Stops reading at a message boundary; completes when nothing is half-read or half-answered.</summary>
    Task FreezeAsync(ToolCallContext restartCall, bool graceful, CancellationToken cancellationToken);

    /// <summary>What keeps <see cref="FreezeAsync"/> from completing, for the timeout's message.</summary>
    string DescribeUnfrozen(ToolCallContext restartCall);

    /// <summary>Prepares what crosses the exec: bytes to replay, the client sessions to continue, the sockets to inherit.</summary>
    TransportHandover Capture(ToolCallContext restartCall);

    /// <summary>The restart was abandoned before the exec (or the exec failed): serve again, held work included.</summary>
    void Resume();

    /// <summary>Reports a restart phase to the caller that asked for progress.</summary>
    void Progress(ToolCallContext restartCall, double percent, string message);
}

/// <summary>
/// What the transport hands to the next image: frames read but not served (stdio), the MCP session of the stdio client
/// or the sessions of HTTP clients, and the sockets the next image inherits.
/// </summary>
internal sealed record TransportHandover(
    byte[] ReplayBytes,
    SessionSnapshot? Session,
    IReadOnlyList<HttpSessionRecord> HttpSessions,
    InheritedSockets Sockets)
{
    /// <summary>The stdio client's resource subscriptions, if it has any.</summary>
    public SubscriptionsSnapshot? Subscriptions { get; init; }

    /// <summary>The response streams HTTP keeps for clients to resume, encoded by the transport; empty over stdio.</summary>
    public byte[] HttpEventStreams { get; init; } = [];

    /// <summary>The HTTP sessions' resource subscriptions, encoded by the transport; empty over stdio.</summary>
    public byte[] HttpSubscriptions { get; init; } = [];
}
