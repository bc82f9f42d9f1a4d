using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Orchestrator.Tooling;

/// <summary>
/// The tools one process image serves, and the one place they are called from. Their declarations (names, schemas,
/// rules) are known from the start, so the tool list can be written and the maintenance gate can judge frames before
/// anything else exists; they become callable once their endpoints are bound, after the store has opened. The stdio
/// fast path and the SDK's adapter (<see cref="SdkTool"/>) both call through <see cref="CallAsync"/>, where the
/// tools' rules are applied.
/// </summary>
internal sealed class ToolTable
{
    private readonly RateLimiter _limits;
    private readonly HashSet<string> _allowedDuringMaintenance;
    private IReadOnlyDictionary<string, ToolEndpoint>? _endpoints;

    /// <param name="declared">Every tool of the build; the maintenance rule is theirs, whether this image serves them or not.</param>
    /// <param name="servesGroup">Which tool groups this image serves (<c>--tools</c>, test hooks).</param>
    /// <param name="links">What finds the resources a result mentions, for its <c>resource_link</c> items; none when null.</param>
    public ToolTable(IReadOnlyList<ToolInfo> declared, Func<string, bool> servesGroup, RateLimiter limits, IResourceLinker? links = null)
    {
        Served = declared.Where(t => servesGroup(t.Group)).ToArray();
        _limits = limits;
        Links = links;
        _allowedDuringMaintenance = declared.Where(t => t.Rules.AllowedDuringMaintenance).Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The tools this image serves, in the generator's (name) order: what <c>tools/list</c> answers.</summary>
    public IReadOnlyList<ToolInfo> Served { get; }

    /// <summary>
    /// A fingerprint of what <c>tools/list</c> answers (names, descriptions, schemas): two images that differ in it serve
    /// different tools, which a client learns through <c>notifications/tools/list_changed</c>.
    /// </summary>
    public ulong Fingerprint()
    {
        var fnv = new Fnv1a();
        foreach (var tool in Served)
        {
            fnv.AddPiece(tool.Name);
            fnv.AddPiece(tool.Description);
            fnv.AddPiece(tool.InputSchema);
            fnv.AddPiece(tool.OutputSchema);
        }
        return fnv.Value;
    }

    /// <summary>Whether a call of <paramref name="tool"/> still passes while a restart holds other work.</summary>
    public bool AllowedDuringMaintenance(string tool) => _allowedDuringMaintenance.Contains(tool);

    /// <summary>Makes the served tools callable; their handlers exist once the store has opened.</summary>
    public void Bind(IReadOnlyList<ToolEndpoint> endpoints)
    {
        var byName = endpoints.ToDictionary(e => e.Name, StringComparer.Ordinal);
        if (Served.FirstOrDefault(t => !byName.ContainsKey(t.Name)) is { } unbound)
            throw new InvalidOperationException($"tool {unbound.Name} is served but has no endpoint");
        _endpoints = byName;
    }

    /// <summary>The endpoint of a served tool; false for a tool this image does not serve.</summary>
    public bool TryFind(string name, [NotNullWhen(true)] out ToolEndpoint? endpoint)
    {
        var endpoints = _endpoints ?? throw new InvalidOperationException("tools called before their endpoints were bound");
        return endpoints.TryGetValue(name, out endpoint);
    }

    /// <summary>What finds the resources a successful result mentions (written as <c>resource_link</c> items after its text); null: none.</summary>
    public IResourceLinker? Links { get; }

    /// <summary>Calls a tool: arguments parsed, its rules applied, its handler run.</summary>
    public ValueTask<ToolCallOutcome> CallAsync(ToolEndpoint endpoint, IReadOnlyDictionary<string, JsonElement>? arguments, ToolCallContext context,
        CancellationToken cancellationToken) =>
        endpoint.InvokeAsync(arguments, context, _limits, cancellationToken);
}
