namespace Orchestrator.Generators;

/// <summary>
/// Names of the incremental pipeline's steps (<c>WithTrackingName</c>), so that a test can check that an edit
/// which changes no tool reaches no step beyond the cache.
/// </summary>
internal static class TrackingNames
{
    /// <summary>One parse result per <c>[McpTool]</c> record.</summary>
    public const string ToolRoots = nameof(ToolRoots);

    /// <summary>One parse result per <c>[McpModel]</c> record.</summary>
    public const string ModelRoots = nameof(ModelRoots);

    /// <summary>The one <see cref="GenerationSpec"/> of the compilation.</summary>
    public const string Spec = nameof(Spec);
}
