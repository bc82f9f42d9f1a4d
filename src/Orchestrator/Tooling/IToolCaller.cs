namespace Orchestrator.Tooling;

/// <summary>Who made a tool call, as the transport that carried it knows them.</summary>
public interface IToolCaller
{
    /// <summary>
    /// The key rate limits count under: over stdio the one client on the pipes; over HTTP a session (2025-11-25
    /// clients), else the bearer token, else the remote address.
    /// </summary>
    string ClientKey { get; }

    /// <summary>The caller's MCP session id, if it has one (a restart records whose call asked for it).</summary>
    string? SessionId { get; }
}
