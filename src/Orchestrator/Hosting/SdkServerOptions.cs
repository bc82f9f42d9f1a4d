using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Orchestrator.Tooling;
using Orchestrator.Transport;

namespace Orchestrator.Hosting;

/// <summary>The MCP SDK's server options: who this server is, and its tools through the one adapter (<see cref="SdkTool"/>).</summary>
internal static class SdkServerOptions
{
    private const string Instructions =
        "Orchestrator keeps task orchestration state durable and can restart itself in place " +
        "(orchestrator_restart_server) without the client reconnecting: the restart call is answered by the new process image.";

    /// <param name="restartGeneration">In-place restarts of this process so far (<see cref="ServerInfo.Description"/>).</param>
    /// <param name="continued">The stdio client's session when it was carried across a restart: the SDK continues it without a new initialize.</param>
    public static McpServerOptions Create(ToolTable tools, Func<IToolCaller> caller, int restartGeneration, ClientSession? continued = null)
    {
        var options = new McpServerOptions
        {
            ServerInfo = new Implementation { Name = ServerInfo.Name, Version = ServerInfo.Version, Description = ServerInfo.Description(restartGeneration) },
            ServerInstructions = Instructions,
            ToolCollection = [.. SdkTool.For(tools, caller)],
        };
        if (continued is { ProtocolVersion: not null, RestartsSurvived: > 0 })
        {
            // Session migration: this image never saw the client's initialize, the previous one did.
            options.ProtocolVersion = continued.ProtocolVersion;
            if (continued.ClientInfoJson is { } info) options.KnownClientInfo = JsonSerializer.Deserialize(info, TypeInfo<Implementation>());
            if (continued.CapabilitiesJson is { } capabilities) options.KnownClientCapabilities = JsonSerializer.Deserialize(capabilities, TypeInfo<ClientCapabilities>());
        }
        return options;
    }

    private static JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(T));
}
