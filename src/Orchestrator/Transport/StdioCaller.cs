using Orchestrator.Tooling;

namespace Orchestrator.Transport;

/// <summary>The one client on this process's pipes: its rate limits count under one key, its session is the stdio session.</summary>
internal sealed class StdioCaller(ClientSession session) : IToolCaller
{
    private static readonly string[] s_keys = ["stdio"];

    public IReadOnlyList<string> RateLimitKeys => s_keys;

    public string? SessionId => session.Id;

    public string? ClientName => session.ClientName;
}
