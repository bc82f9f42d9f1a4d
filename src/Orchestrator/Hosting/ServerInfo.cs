using System.Reflection;

namespace Orchestrator.Hosting;

/// <summary>Name and version this binary reports (health_check's server_version, --version, MCP serverInfo).</summary>
internal static class ServerInfo
{
    public const string Name = "orchestrator";

    public static string Version { get; } = TestBuildIdentity.Version ??
        typeof(ServerInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";
}
