using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;

namespace Orchestrator.Transport;

/// <summary>What the transport needs to know of an incoming message to route it: its method and, for tools/call, the tool.</summary>
internal readonly record struct FrameSummary(string? Method, string? ToolName, bool IsRequest)
{
    /// <summary>Tools that stay available during a restart's maintenance mode: they observe or refuse, never change state.</summary>
    private static readonly HashSet<string> ControlPlaneTools =
    [
        "orchestrator_restart_server", "orchestrator_health_check", "orchestrator_restart_status",
        "orchestrator_shutdown_prepare", "orchestrator_reconnect_test",
    ];

    public bool IsControlPlane => Method switch
    {
        "ping" or "notifications/cancelled" or "notifications/progress" => true,
        "tools/call" => ToolName is not null && ControlPlaneTools.Contains(ToolName),
        null => true, // responses to the server's own requests
        _ => false,
    };

    public static FrameSummary Of(JsonRpcMessage message) => message switch
    {
        JsonRpcRequest request => new(request.Method, request.Method == "tools/call" ? ToolNameOf(request.Params) : null, true),
        JsonRpcNotification notification => new(notification.Method, null, false),
        _ => new(null, null, false),
    };

    private static string? ToolNameOf(JsonNode? parameters) =>
        parameters is JsonObject obj && obj["name"] is JsonValue value && value.TryGetValue<string>(out var name) ? name : null;
}
