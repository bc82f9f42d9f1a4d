using ModelContextProtocol.Protocol;

namespace Orchestrator.Tooling;

/// <summary>What a handler may know of the call besides its arguments: who asked, under which request id, and how to report progress.</summary>
/// <param name="clientName">The client's name when the code that took the call knows it (the SDK's session); else the caller's.</param>
public sealed class ToolCallContext(RequestId requestId, ProgressToken? progressToken, IToolCaller caller, string? clientName = null)
{
    public RequestId RequestId { get; } = requestId;
    public ProgressToken? ProgressToken { get; } = progressToken;

    /// <summary>The caller as its transport knows it; a transport that needs more of it (its connection) casts to its own type.</summary>
    public IToolCaller Caller { get; } = caller;

    /// <summary>Who is calling, by the name the MCP client gave itself (history records it); null when it gave none.</summary>
    public string? ClientName => clientName ?? Caller.ClientName;

    /// <summary>The keys rate limits count under (see <see cref="IToolCaller.RateLimitKeys"/>).</summary>
    public IReadOnlyList<string> RateLimitKeys => Caller.RateLimitKeys;

    /// <summary>The <c>request_id</c> of a call to an idempotent tool that gave one, with what identifies the call; set by <see cref="ToolEndpoint"/>.</summary>
    public IdempotentRequest? Idempotent { get; internal set; }
}
