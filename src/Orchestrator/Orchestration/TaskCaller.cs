using Orchestrator.Tooling;

namespace Orchestrator.Orchestration;

/// <summary>
/// Who makes a task call, as far as the task system cares: the client's name (the agent a claim is taken for when the
/// call names none, and the scope its request ids are kept in) and the call's request id, if it gave one.
/// </summary>
public sealed record TaskCaller(string? ClientName, IdempotentRequest? Request = null)
{
    /// <summary>The agent of a client that did not say its name.</summary>
    public const string UnnamedClient = "unnamed client";

    /// <summary>Calls made without a transport (tests, the benchmarks' in-process store).</summary>
    public static readonly TaskCaller None = new(ClientName: null);

    /// <summary>The client's name, or <see cref="UnnamedClient"/>.</summary>
    public string Client => string.IsNullOrWhiteSpace(ClientName) ? UnnamedClient : ClientName.Trim();

    public static TaskCaller From(ToolCallContext context) => new(context.Caller.ClientName, context.Idempotent);
}
