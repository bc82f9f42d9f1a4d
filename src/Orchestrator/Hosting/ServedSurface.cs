using Orchestrator.Orchestration.Mcp;
using Orchestrator.Reboot;
using Orchestrator.Tooling;

namespace Orchestrator.Hosting;

/// <summary>
/// The lists this image serves as a client sees them, fingerprinted, with its restart generation: what it hands to the
/// next image (<see cref="ImageLineage"/>), and what it compares with the previous image's to tell clients what changed.
/// </summary>
internal sealed class ServedSurface(ToolTable tools, int generation)
{
    public const string Tools = "tools";
    public const string Prompts = "prompts";

    /// <summary>The resource templates and fixed lists: the shape of what can be read, not the tasks stored (those a client pages).</summary>
    public const string Resources = "resources";

    public int Generation => generation;

    public IReadOnlyList<ServedList> Lists() =>
    [
        new(Tools, tools.Fingerprint()),
        new(Prompts, Fnv1a.Of(PromptCatalog.List())),
        new(Resources, Fnv1a.Of(ResourceCatalog.Templates())),
    ];

    public ImageLineage Lineage() => new(generation, Lists());
}
