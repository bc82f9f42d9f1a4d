namespace Orchestrator.Tooling;

/// <summary>Who made a tool call, as the transport that carried it knows them.</summary>
public interface IToolCaller
{
    /// <summary>
    /// The keys rate limits count a call under (admitted only when none is at its limit, then counted under each):
    /// over stdio the one client on the pipes; over HTTP the session (2025-11-25 clients) and, always, whoever holds
    /// the bearer token, else the remote address, so that opening a fresh session does not make a fresh client.
    /// </summary>
    IReadOnlyList<string> RateLimitKeys { get; }

    /// <summary>The caller's MCP session id, if it has one (a restart records whose call asked for it).</summary>
    string? SessionId { get; }

    /// <summary>The client's name as it introduced itself (<c>clientInfo.name</c> of its <c>initialize</c>), if it did.</summary>
    string? ClientName { get; }
}
