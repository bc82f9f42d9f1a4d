namespace Orchestrator.Orchestration.Mcp;

/// <summary>What the transport needs to know of an incoming message to route it: its method and, for tools/call, the tool.</summary>
internal readonly record struct FrameSummary(string? Method, string? ToolName, bool IsRequest)
{
    /// <summary>
    /// Whether the frame still passes while a restart holds other work: pings, cancellations and progress, responses to
    /// the server's own requests, and calls of the tools that <paramref name="allowedDuringMaintenance"/> accepts (those
    /// declared so: they observe or refuse, never change state).
    /// </summary>
    public bool PassesMaintenance(Func<string, bool> allowedDuringMaintenance) => Method switch
    {
        "ping" or "notifications/cancelled" or "notifications/progress" => true,
        "tools/call" => ToolName is not null && allowedDuringMaintenance(ToolName),
        null => true, // responses to the server's own requests
        _ => false,
    };
}
