using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using Orchestrator.Orchestration.Mcp;
using Orchestrator.Reboot.Snapshot;

namespace Orchestrator.Transport;

/// <summary>
/// The MCP session of the stdio client as this server saw it negotiated: protocol version, client info and
/// capabilities. It is carried across in-place restarts so that the client never initializes again.
/// </summary>
internal sealed class ClientSession
{
    private readonly Lock _lock = new();
    private RequestId? _initializeRequestId;
    private (string? ClientInfoJson, string? CapabilitiesJson, string? ProtocolVersion) _offered;

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

    public static ClientSession New() => new(Guid.NewGuid().ToString("n"), DateTimeOffset.UtcNow);

    /// <summary>The session the previous image negotiated, carried by the restart snapshot: one more restart survived.</summary>
    public static ClientSession Continue(SessionSnapshot saved) =>
        new(saved.Id, DateTimeOffset.FromUnixTimeMilliseconds(saved.CreatedUnixMs))
        {
            ProtocolVersion = saved.ProtocolVersion,
            ClientInfoJson = saved.ClientInfoJson,
            CapabilitiesJson = saved.CapabilitiesJson,
            Initialized = saved.Initialized,
            RestartsSurvived = saved.RestartsSurvived + 1,
            LoggingLevel = saved.LoggingLevel,
        };

    /// <summary>What the restart snapshot carries of this session.</summary>
    public SessionSnapshot Capture() =>
        new(Id, CreatedAt.ToUnixTimeMilliseconds(), ProtocolVersion, ClientInfoJson, CapabilitiesJson, Initialized, RestartsSurvived) { LoggingLevel = LoggingLevel };

    public void ObserveIncoming(IncomingFrame frame)
    {
        switch (frame.Method)
        {
            case "initialize" when frame.IsRequest && frame.Params is { ValueKind: JsonValueKind.Object } parameters:
                // Only offered here: the session takes it when the initialize is answered with a result (ObserveOutgoing),
                // so that a refused initialize (bad params) does not overwrite the session a client negotiated earlier.
                lock (_lock)
                {
                    _initializeRequestId = frame.RequestId;
                    _offered = (
                        parameters.TryGetProperty("clientInfo"u8, out var info) ? info.GetRawText() : null,
                        parameters.TryGetProperty("capabilities"u8, out var capabilities) ? capabilities.GetRawText() : null,
                        parameters.TryGetProperty("protocolVersion"u8, out var version) && JsonStrings.TryGet(version, out var text) ? text : null);
                }
                break;
            case "notifications/initialized" when !frame.IsRequest:
                Initialized = true;
                break;
            case "logging/setLevel" when frame.Params is { ValueKind: JsonValueKind.Object } parameters &&
                                         parameters.TryGetProperty("level"u8, out var level) && JsonStrings.TryGet(level, out var levelName) &&
                                         ClientLogLevels.Rank(levelName) >= 0:
                LoggingLevel = levelName;
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
            (ClientInfoJson, CapabilitiesJson, ProtocolVersion) = _offered;
            if (response.Result?["protocolVersion"] is JsonValue version && version.TryGetValue<string>(out var negotiated))
                ProtocolVersion = negotiated;
        }
    }
}
