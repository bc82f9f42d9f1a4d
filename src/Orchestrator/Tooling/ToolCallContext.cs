using ModelContextProtocol.Protocol;

namespace Orchestrator.Tooling;

/// <summary>What a handler may know of the call besides its arguments: who asked, under which request id, and how to report progress.</summary>
public sealed class ToolCallContext(RequestId requestId, ProgressToken? progressToken, IToolCaller caller)
{
    public RequestId RequestId { get; } = requestId;
    public ProgressToken? ProgressToken { get; } = progressToken;

    /// <summary>The caller as its transport knows it; a transport that needs more of it (its connection) casts to its own type.</summary>
    public IToolCaller Caller { get; } = caller;

    /// <summary>The keys rate limits count under (see <see cref="IToolCaller.RateLimitKeys"/>).</summary>
    public IReadOnlyList<string> RateLimitKeys => Caller.RateLimitKeys;

    /// <summary>The <c>request_id</c> of a call to an idempotent tool that gave one, with what identifies the call; set by <see cref="ToolEndpoint"/>.</summary>
    public IdempotentRequest? Idempotent { get; internal set; }
}
