using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;

namespace Orchestrator.Transport;

/// <summary>
/// The MCP session of the stdio client as this server saw it negotiated: protocol version, client info and
/// capabilities. It is carried across in-place restarts so that the client never initializes again.
/// </summary>
internal sealed class ClientSession
{
    private readonly Lock _lock = new();
    private RequestId? _initializeRequestId;

    public ClientSession(string id, DateTimeOffset createdAt) => (Id, CreatedAt) = (id, createdAt);

    public string Id { get; }
    public DateTimeOffset CreatedAt { get; }
    public string? ProtocolVersion { get; set; }
    public string? ClientInfoJson { get; set; }
    public string? CapabilitiesJson { get; set; }
    public bool Initialized { get; set; }

    /// <summary>The MCP logging level the client asked for; null until it asks (then no log goes to it).</summary>
    public string? LoggingLevel { get; set; }

    /// <summary>In-place restarts this session has been carried through.</summary>
    public int RestartsSurvived { get; set; }

    public string? ClientName => ClientInfoJson is null ? null : JsonNode.Parse(ClientInfoJson)?["name"]?.GetValue<string>();
    public string? ClientVersion => ClientInfoJson is null ? null : JsonNode.Parse(ClientInfoJson)?["version"]?.GetValue<string>();

    public static ClientSession New() => new(Guid.NewGuid().ToString("n"), DateTimeOffset.UtcNow);

    public void ObserveIncoming(IncomingFrame frame)
    {
        switch (frame.Method)
        {
            case "initialize" when frame.IsRequest && frame.Params is { ValueKind: JsonValueKind.Object } parameters:
                lock (_lock)
                {
                    _initializeRequestId = frame.RequestId;
                    ClientInfoJson = parameters.TryGetProperty("clientInfo"u8, out var info) ? info.GetRawText() : null;
                    CapabilitiesJson = parameters.TryGetProperty("capabilities"u8, out var capabilities) ? capabilities.GetRawText() : null;
                    ProtocolVersion = parameters.TryGetProperty("protocolVersion"u8, out var version) && version.ValueKind == JsonValueKind.String
                        ? version.GetString()
                        : null;
                }
                break;
            case "notifications/initialized":
                Initialized = true;
                break;
            case "logging/setLevel" when frame.Params is { ValueKind: JsonValueKind.Object } parameters &&
                                         parameters.TryGetProperty("level"u8, out var level) && level.ValueKind == JsonValueKind.String &&
                                         ClientLogLevels.Rank(level.GetString()) >= 0:
                LoggingLevel = level.GetString();
                break;
        }
    }

    public void ObserveOutgoing(JsonRpcMessage message)
    {
        if (message is not JsonRpcResponse response) return;
        lock (_lock)
        {
            if (_initializeRequestId is not { } id || response.Id != id) return;
            _initializeRequestId = null;
            if (response.Result?["protocolVersion"] is JsonValue version && version.TryGetValue<string>(out var negotiated))
                ProtocolVersion = negotiated;
        }
    }
}
