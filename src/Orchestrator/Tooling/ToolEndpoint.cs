using System.Text.Json;

namespace Orchestrator.Tooling;

/// <summary>
/// One tool as this server calls it: generated argument parsing plus the handler. The MCP SDK's tool objects and
/// the transport's fast path both call tools through it, so a tool behaves the same whichever path serves it.
/// </summary>
public abstract class ToolEndpoint(string name)
{
    public string Name { get; } = name;

    public abstract ValueTask<ToolCallOutcome> InvokeAsync(IReadOnlyDictionary<string, JsonElement>? arguments, ToolCallContext context,
        CancellationToken cancellationToken);
}

/// <summary>A tool call's result (written as structuredContent and text) or its error (seed format, isError).</summary>
public readonly record struct ToolCallOutcome(IJsonWritable? Result, ToolError? Error);

public sealed class ToolEndpoint<TArgs, TResult>(string name, ToolInvoker.ArgumentParser<TArgs> parse, IToolHandler<TArgs, TResult> handler)
    : ToolEndpoint(name)
    where TResult : IJsonWritable
{
    public override async ValueTask<ToolCallOutcome> InvokeAsync(IReadOnlyDictionary<string, JsonElement>? arguments, ToolCallContext context,
        CancellationToken cancellationToken)
    {
        var errors = new ArgumentErrors();
        if (!parse(arguments, out var args, errors) || args is null) return new(null, errors.ToToolError());
        var outcome = await handler.HandleAsync(args, context, cancellationToken).ConfigureAwait(false);
        return outcome.Error is { } error ? new(null, error) : new(outcome.Result, null);
    }
}
