using Orchestrator.Tooling;

namespace Orchestrator.Orchestration;

/// <summary>
/// Who makes a task call, as far as the task system cares: the client's name (the agent a claim is taken for when the
/// call names none, and the scope its request ids are kept in) and the call's request id, if it gave one. The name is
/// read from the transport only when a call needs it.
/// </summary>
public sealed class TaskCaller
{
    /// <summary>The agent of a client that did not say its name.</summary>
    public const string UnnamedClient = "unnamed client";

    /// <summary>Calls made without a transport (tests, the benchmarks' in-process store).</summary>
    public static readonly TaskCaller None = new(clientName: null);

    private readonly IToolCaller? _transport;
    private string? _client;

    public TaskCaller(string? clientName, IdempotentRequest? request = null)
    {
        _client = Named(clientName);
        Request = request;
    }

    private TaskCaller(IToolCaller transport, IdempotentRequest? request)
    {
        _transport = transport;
        Request = request;
    }

    public IdempotentRequest? Request { get; }

    /// <summary>The client's name, or <see cref="UnnamedClient"/>.</summary>
    public string Client => _client ??= Named(_transport?.ClientName);

    public static TaskCaller From(ToolCallContext context) => new(context.Caller, context.Idempotent);

    private static string Named(string? name) => string.IsNullOrWhiteSpace(name) ? UnnamedClient : name.Trim();
}
