using Orchestrator.Tooling;

namespace Orchestrator.Transport;

/// <summary>The one client on this process's pipes: its rate limits count under one key, its session is the stdio session.</summary>
internal sealed class StdioCaller(ClientSession session) : IToolCaller
{
    public string ClientKey => "stdio";

    public string? SessionId => session.Id;
}
