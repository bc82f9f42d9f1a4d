using Orchestrator.Reboot.Contract;

namespace Orchestrator.Transport;

/// <summary>What the transport needs to know of an incoming message to route it: its method and, for tools/call, the tool.</summary>
internal readonly record struct FrameSummary(string? Method, string? ToolName, bool IsRequest)
{
    /// <summary>Tools that stay available during a restart's maintenance mode: they observe or refuse, never change state.</summary>
    private static readonly HashSet<string> ControlPlaneTools =
    [
        RestartServerArgs.ToolName, HealthCheckArgs.ToolName, RestartStatusArgs.ToolName,
        ShutdownPrepareArgs.ToolName, ReconnectTestArgs.ToolName,
    ];

    public bool IsControlPlane => Method switch
    {
        "ping" or "notifications/cancelled" or "notifications/progress" => true,
        "tools/call" => ToolName is not null && ControlPlaneTools.Contains(ToolName),
        null => true, // responses to the server's own requests
        _ => false,
    };
}
