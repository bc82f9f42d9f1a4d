using System.Text.Json;

namespace Orchestrator.Tooling;

/// <summary>Parses and validates a tool call's arguments (the generated <c>TryParse</c>), adding every bad field to <paramref name="errors"/>.</summary>
public delegate bool ArgumentParser<TArgs>(IReadOnlyDictionary<string, JsonElement>? arguments, out TArgs? value, ArgumentErrors errors);

/// <summary>
/// One tool as this server calls it: what the generator knows of it (<see cref="Info"/>), generated argument parsing,
/// and the handler. The MCP SDK's tool objects and the transport's fast path both call tools through it, so a tool
/// behaves the same whichever path serves it.
/// </summary>
public abstract class ToolEndpoint(ToolInfo info)
{
    public ToolInfo Info { get; } = info;

    public string Name => Info.Name;

    public abstract ValueTask<ToolCallOutcome> InvokeAsync(IReadOnlyDictionary<string, JsonElement>? arguments, ToolCallContext context,
        CancellationToken cancellationToken);
}

/// <summary>A tool call's result (written as structuredContent and text) or its error (seed format, isError).</summary>
public readonly record struct ToolCallOutcome(IJsonWritable? Result, ToolError? Error);

public sealed class ToolEndpoint<TArgs, TResult>(ToolInfo info, ArgumentParser<TArgs> parse, IToolHandler<TArgs, TResult> handler)
    : ToolEndpoint(info)
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
