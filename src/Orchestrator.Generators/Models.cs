using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Orchestrator.Generators;

// Everything the parser hands on: plain equatable data, never an ISymbol, SyntaxNode or Location,
// so that the incremental pipeline can cache by value (the System.Text.Json generator's approach).

internal enum ValueKind
{
    Boolean,
    Int32,
    Int64,
    Double,
    Single,
    String,
    DateTimeOffset,
    Enum,
    Array,
    Record,
}

/// <summary>How a C# type maps to JSON.</summary>
/// <param name="TypeName">Fully qualified C# name of the non-nullable type (e.g. <c>global::System.Int32</c>).</param>
/// <param name="IsValueType">Whether the (underlying) type is a struct, so that <c>?</c> means <see cref="System.Nullable{T}"/>.</param>
/// <param name="Element">The element type of an array.</param>
/// <param name="ArrayIsNative">An array is a C# <c>T[]</c> (read as <c>ToArray()</c>) rather than a list interface.</param>
/// <param name="EnumMembers">C# member names of an enum, in declaration order.</param>
internal sealed record TypeModel(
    ValueKind Kind,
    string TypeName,
    bool IsNullable,
    bool IsValueType,
    TypeModel? Element,
    bool ArrayIsNative,
    EquatableArray<string> EnumMembers)
{
    /// <summary>The C# type as declared, nullable annotation included.</summary>
    public string DeclaredName => IsNullable ? TypeName + "?" : TypeName;

    /// <summary>The enum members <c>ToWire</c> maps values to: the first member of each distinct value.</summary>
    public EquatableArray<string> EnumWrittenMembers { get; init; } = EquatableArray<string>.Empty;

    public bool IsNumeric => Kind is ValueKind.Int32 or ValueKind.Int64 or ValueKind.Double or ValueKind.Single;
}

/// <param name="MaxItems">The declared bound of an array (<c>[Describe] MaxItems</c>); 0 when none was declared.</param>
internal sealed record PropertyModel(
    string Name,
    string JsonName,
    TypeModel Type,
    bool IsRequired,
    bool CanWrite,
    string? Description,
    double Minimum,
    double Maximum,
    string? DefaultJson,
    int MaxItems = 0)
{
    /// <summary>
    /// The bound an argument array is read with: the declared one, else the default (the runtime's
    /// <c>DescribeAttribute.DefaultMaxItems</c>), so that no array of a call is walked unbounded.
    /// </summary>
    public const int DefaultMaxItems = 1000;

    public int ArgumentMaxItems => MaxItems > 0 ? MaxItems : DefaultMaxItems;
}

internal sealed record RecordModel(
    string FullName,
    string Name,
    string? Namespace,
    EquatableArray<string> ContainingTypes,
    EquatableArray<PropertyModel> Properties,
    bool HasParameterlessConstructor,
    bool ReadFromArguments,
    bool WrittenAsResult)
{
    public string FileHint => FullName.Replace("global::", "").Replace('<', '_').Replace('>', '_');
}

/// <summary>One <c>[McpTool]</c>: what its attribute declares and the names its registration uses.</summary>
/// <param name="PerMinute">The declared rate limit (calls per client per minute; 0: none).</param>
/// <param name="AllowedDuringMaintenance">The tool is served while a restart holds other work.</param>
/// <param name="Idempotent">The tool changes state and takes a <c>request_id</c> (added to its input schema) to be retried safely.</param>
internal sealed record ToolModel(
    string ToolName,
    string Description,
    string Group,
    int PerMinute,
    bool AllowedDuringMaintenance,
    bool Idempotent,
    string ArgsFullName,
    string ArgsName,
    string ResultFullName,
    string HandlerName,
    LocationInfo? Location);

/// <summary>One parsed <c>[McpTool]</c> (or <c>[McpModel]</c>) root: the tool, the records it reaches, and the problems found.</summary>
internal sealed record ParseResult(
    ToolModel? Tool,
    EquatableArray<RecordModel> Records,
    EquatableArray<DiagnosticInfo> Diagnostics);

internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);

    public static LocationInfo? From(Location? location) =>
        location is null || location.SourceTree is null
            ? null
            : new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);
}

/// <summary>
/// A problem found by the parser or the builder, kept as data until the source output step reports it. It carries its descriptor
/// (which compares by value) rather than an id to look up, so that it can never be reported as another diagnostic.
/// </summary>
internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, LocationInfo? Location, EquatableArray<string> Arguments)
{
    public Diagnostic ToDiagnostic() => Diagnostic.Create(Descriptor, Location?.ToLocation(), [.. Arguments]);
}
