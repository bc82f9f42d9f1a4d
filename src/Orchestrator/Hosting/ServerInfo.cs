using System.Reflection;
using Orchestrator.Reboot;
using Orchestrator.Reboot.Contract;
using Orchestrator.Reboot.Snapshot;
using Orchestrator.TestHooks;

namespace Orchestrator.Hosting;

/// <summary>Name and version this binary reports (health_check's server_version, --version, MCP serverInfo).</summary>
internal static class ServerInfo
{
    public const string Name = ImageIdentity.Name;

    /// <summary>The assembly's version, unless the <c>build-identity</c> test hook makes this binary act as another release.</summary>
    public static string Version { get; } = TestHookSet.Current.BuildIdentity?.Version ??
        typeof(ServerInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";

    /// <summary>The version and the executable's build id (<see cref="Native.ElfBuildId"/>): health_check's <c>build</c>.</summary>
    public static BuildInfo Build => new() { Version = Version, BuildId = Native.ElfBuildId.OfThisProcess };

    /// <summary>One line for a client's eyes (MCP <c>serverInfo.description</c>).</summary>
    public static string Description(int restartGeneration) =>
        $"Task orchestration with in-place restarts; build {Native.ElfBuildId.OfThisProcess ?? "unknown"}, restart generation {restartGeneration}";

    /// <summary>
    /// What a restart records and writes, and what the handover probe answers: this version, the snapshot format and the
    /// store schema (others under <c>build-identity</c>).
    /// </summary>
    public static ImageIdentity Identity { get; } =
        new(Version, TestHookSet.Current.BuildIdentity?.SnapshotFormat ?? SnapshotFormat.CurrentVersion)
        {
            SchemaVersion = TestHookSet.Current.BuildIdentity?.SchemaVersion ?? Storage.Migrations.Latest,
        };
}
