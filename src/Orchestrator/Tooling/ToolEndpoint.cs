using System.Text.Json;

namespace Orchestrator.Tooling;

/// <summary>Generated argument parsing for one tool: reports every invalid argument in <paramref name="errors"/>.</summary>
public delegate bool ArgumentParser<TArgs>(IReadOnlyDictionary<string, JsonElement>? arguments, out TArgs? value, ArgumentErrors errors);

/// <summary>
/// One tool as this server calls it: generated argument parsing, the tool's rules, then its handler. The stdio fast path
/// and the SDK's adapter both call tools through it (via <see cref="ToolTable"/>), so a tool behaves the same whichever
/// path serves it.
/// </summary>
public abstract class ToolEndpoint(ToolInfo info)
{
    public ToolInfo Info { get; } = info;

    public string Name => Info.Name;

    /// <summary>Parses the arguments, applies the tool's rules (a refusal before admission, then the rate limit), runs the handler.</summary>
    internal abstract ValueTask<ToolCallOutcome> InvokeAsync(IReadOnlyDictionary<string, JsonElement>? arguments, ToolCallContext context,
        RateLimiter limits, CancellationToken cancellationToken);
}

/// <summary>A tool call's result (written as structuredContent and text) or its error (seed format, isError).</summary>
public readonly record struct ToolCallOutcome(IJsonWritable? Result, ToolError? Error);

public sealed class ToolEndpoint<TArgs, TResult>(ToolInfo info, ArgumentParser<TArgs> parse, IToolHandler<TArgs, TResult> handler)
    : ToolEndpoint(info)
    where TResult : IJsonWritable
{
    internal override async ValueTask<ToolCallOutcome> InvokeAsync(IReadOnlyDictionary<string, JsonElement>? arguments, ToolCallContext context,
        RateLimiter limits, CancellationToken cancellationToken)
    {
        // Bad arguments are refused before anything counts: an invalid call uses up no rate-limit window.
        var errors = new ArgumentErrors();
        if (Info.Rules.Idempotent)
        {
            // request_id is the runtime's argument, not the tool's: read, checked and taken out before the tool's parser sees the rest.
            context.Idempotent = IdempotentRequest.Read(Name, ref arguments, errors);
            if (errors.Count > 0) return new(null, errors.ToToolError());
        }
        if (!parse(arguments, out var args, errors) || args is null) return new(null, errors.ToToolError());
        if (handler is IAdmissionCheck check && check.RefuseBeforeAdmission() is { } refused) return new(null, refused);
        if (!limits.TryAdmit(context.RateLimitKeys, Name, out var retryAfter)) return new(null, ToolError.RateLimited(retryAfter));
        var outcome = await handler.HandleAsync(args, context, cancellationToken).ConfigureAwait(false);
        return outcome.Error is { } error ? new(null, error) : new(outcome.Replay ?? outcome.Result, null);
    }
}
