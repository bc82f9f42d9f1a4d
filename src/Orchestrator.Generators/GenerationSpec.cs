namespace Orchestrator.Generators;

/// <summary>
/// Everything the emitter needs, and only that: the tools to register (sorted by name), every record they and the
/// <c>[McpModel]</c> roots reach (merged, sorted by name), the enums those records use (sorted by name), and every
/// diagnostic found on the way. Equatable by value, so that the source output step runs again only when the
/// generated code or the diagnostics would change.
/// </summary>
internal sealed record GenerationSpec(
    EquatableArray<ToolModel> Tools,
    EquatableArray<RecordModel> Records,
    EquatableArray<TypeModel> Enums,
    EquatableArray<DiagnosticInfo> Diagnostics);
