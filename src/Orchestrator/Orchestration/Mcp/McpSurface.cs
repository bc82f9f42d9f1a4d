using System.Text.Json;
using Orchestrator.Storage;

namespace Orchestrator.Orchestration.Mcp;

/// <summary>
/// The one table of MCP's non-tool methods (resources, prompts, completions) that both transports call: the stdio
/// fast path with the request's raw params, the SDK's handlers (HTTP, and stdio before the fast path knew them) with
/// the params re-serialized. Built before the store opens and bound to it once it is (<see cref="Bind"/>); nothing
/// here is touched at start, so a resumed image pays for none of it until a client asks.
/// </summary>
internal sealed class McpSurface
{
    private readonly TaskCompletionSource<Parts?> _bound = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed record Parts(ResourceCatalog Resources, PromptCatalog Prompts, CompletionSource Completions, ResourceChanges Changes);

    /// <summary>The methods answered here; anything else is not this table's.</summary>
    public static bool Handles(string? method) => method is "resources/list" or "resources/templates/list" or "resources/read"
        or "prompts/list" or "prompts/get" or "completion/complete";

    /// <summary>The store to read from; null when it could not be opened (every answer then says so).</summary>
    public void Bind(Database? database)
    {
        if (database is null)
        {
            _bound.TrySetResult(null);
            return;
        }
        var resources = new ResourceCatalog(database);
        _bound.TrySetResult(new Parts(resources, new PromptCatalog(database, resources), new CompletionSource(database), new ResourceChanges(database)));
    }

    /// <summary>The change feed for subscriptions; null until the store is open, or when it could not be.</summary>
    public ResourceChanges? Changes => _bound.Task.IsCompletedSuccessfully ? _bound.Task.Result?.Changes : null;

    /// <summary>
    /// Checks a <c>resources/subscribe</c>: the URI must name something that exists (the same errors as a read).
    /// Success carries the empty result; <paramref name="uri"/> is the URI to watch.
    /// </summary>
    public async ValueTask<(McpAnswer Answer, string? Uri)> SubscriptionTargetAsync(JsonElement? parameters, CancellationToken cancellation)
    {
        var p = parameters is { ValueKind: JsonValueKind.Object } value ? value : default;
        try
        {
            if (!OptionalString(p, "uri", out var uri) || uri is null) return (McpAnswer.Invalid("resources/subscribe needs params.uri, a string"), null);
            var read = await HandleAsync("resources/read", parameters, cancellation).ConfigureAwait(false);
            return read.IsError ? (read, null) : (McpAnswer.Success(EmptyResult), uri);
        }
        catch (InvalidOperationException)
        {
            return (McpAnswer.Invalid("params hold a string that is not valid Unicode (an unpaired surrogate escape)"), null);
        }
    }

    /// <summary>The URI of a <c>resources/unsubscribe</c>, or null when its params have none.</summary>
    public static string? UnsubscribeTarget(JsonElement? parameters)
    {
        try
        {
            return parameters is { ValueKind: JsonValueKind.Object } p && OptionalString(p, "uri", out var uri) ? uri : null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    public static readonly byte[] EmptyResult = "{}"u8.ToArray();

    public async ValueTask<McpAnswer> HandleAsync(string method, JsonElement? parameters, CancellationToken cancellation)
    {
        var parts = _bound.Task.IsCompleted ? _bound.Task.Result : await _bound.Task.WaitAsync(cancellation).ConfigureAwait(false);
        if (parts is null) return McpAnswer.Failure("the store is not available (see orchestrator_health_check)");
        try
        {
            var p = parameters is { ValueKind: JsonValueKind.Object } value ? value : default;
            return NotFoundRevision.For(Handle(parts, method, p), p);
        }
        catch (Exception ex) when (ex is StoreFaultException or Microsoft.Data.Sqlite.SqliteException)
        {
            return McpAnswer.Failure($"{method} failed: the store answered {ex.Message}");
        }
        catch (InvalidOperationException)
        {
            // JsonElement.GetString on a string escaped as an unpaired surrogate: valid JSON, no text.
            return McpAnswer.Invalid("params hold a string that is not valid Unicode (an unpaired surrogate escape)");
        }
    }

    private static McpAnswer Handle(Parts parts, string method, JsonElement parameters)
    {
        switch (method)
        {
            case "resources/templates/list":
                return McpAnswer.Success(ResourceCatalog.Templates());
            case "prompts/list":
                return McpAnswer.Success(PromptCatalog.List());
            case "resources/list":
                if (!OptionalString(parameters, "cursor", out var cursor)) return McpAnswer.Invalid("cursor must be a string");
                return parts.Resources.List(cursor);
            case "resources/read":
                if (!OptionalString(parameters, "uri", out var uri) || uri is null) return McpAnswer.Invalid("resources/read needs params.uri, a string");
                return parts.Resources.Read(uri);
            case "prompts/get":
                if (!OptionalString(parameters, "name", out var name) || name is null) return McpAnswer.Invalid("prompts/get needs params.name, a string");
                if (Arguments(parameters) is not { } arguments) return McpAnswer.Invalid("prompts/get: arguments must be an object of strings");
                return parts.Prompts.Get(name, arguments);
            default:
                return Complete(parts, parameters);
        }
    }

    private static McpAnswer Complete(Parts parts, JsonElement parameters)
    {
        if (parameters.ValueKind != JsonValueKind.Object || !parameters.TryGetProperty("ref"u8, out var reference) ||
            reference.ValueKind != JsonValueKind.Object || !OptionalString(reference, "type", out var type) ||
            !parameters.TryGetProperty("argument"u8, out var argument) || argument.ValueKind != JsonValueKind.Object ||
            !OptionalString(argument, "name", out var argumentName) || argumentName is null ||
            !OptionalString(argument, "value", out var value) || value is null)
            return McpAnswer.Invalid("completion/complete needs params.ref {type, name|uri} and params.argument {name, value}");
        CompletionKind kind;
        switch (type)
        {
            case "ref/prompt" when OptionalString(reference, "name", out var prompt) && prompt is not null:
                if (PromptCatalog.Find(prompt) is null) return McpAnswer.Invalid($"unknown prompt '{prompt}'");
                kind = CompletionSource.ForPromptArgument(prompt, argumentName);
                break;
            case "ref/resource" when OptionalString(reference, "uri", out var template) && template is not null:
                kind = CompletionSource.ForTemplateVariable(template, argumentName);
                break;
            default:
                return McpAnswer.Invalid("ref must be {type: \"ref/prompt\", name} or {type: \"ref/resource\", uri}");
        }
        return McpAnswer.Success(parts.Completions.Complete(kind, value));
    }

    /// <summary>False when present but not a string (null counts as absent).</summary>
    private static bool OptionalString(JsonElement parent, string name, out string? value)
    {
        value = null;
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null) return true;
        if (element.ValueKind != JsonValueKind.String) return false;
        value = element.GetString();
        return true;
    }

    private static Dictionary<string, string>? Arguments(JsonElement parameters)
    {
        var arguments = new Dictionary<string, string>(StringComparer.Ordinal);
        if (parameters.ValueKind != JsonValueKind.Object || !parameters.TryGetProperty("arguments"u8, out var value) ||
            value.ValueKind == JsonValueKind.Null) return arguments;
        if (value.ValueKind != JsonValueKind.Object) return null;
        foreach (var property in value.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.String) return null;
            arguments[property.Name] = property.Value.GetString()!;
        }
        return arguments;
    }
}
