using System.Diagnostics.CodeAnalysis;

namespace Orchestrator.Hosting;

/// <summary>
/// Whether this build serves Streamable HTTP. True unless built with <c>-p:OrchestratorHttp=false</c>: then the AOT
/// compiler treats the switch as a constant and removes ASP.NET Core, Kestrel and the SDK's HTTP endpoint from the
/// binary, and every start of it (stdio's included) stops paying for their types' statics.
/// </summary>
internal static class HttpSupport
{
    private const string Switch = "Orchestrator.Http.IsSupported";

    [FeatureSwitchDefinition(Switch)]
    public static bool IsSupported => !AppContext.TryGetSwitch(Switch, out var enabled) || enabled;
}
