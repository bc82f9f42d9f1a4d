using Microsoft.CodeAnalysis;

namespace Orchestrator.Generators;

internal static class Diagnostics
{
    private const string Category = "Orchestrator.Generators";

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor ToolNotPartialRecord = Error("ORCH001",
        "McpTool target must be a partial record",
        "'{0}' carries [McpTool] but is not a non-generic partial record class");

    public static readonly DiagnosticDescriptor ModelNotPartial = Error("ORCH002",
        "Model record must be partial",
        "'{0}' is reached from tool '{1}' and must be a non-generic partial record class declared in source (and nested only in partial types)");

    public static readonly DiagnosticDescriptor UnsupportedType = Error("ORCH003",
        "Unsupported property type",
        "Property '{0}' has type '{1}', which tools do not support (use bool, int, long, double, float, string, DateTimeOffset, an enum, a partial record, or a list/array of these)");

    public static readonly DiagnosticDescriptor BoundsOnNonNumeric = Error("ORCH004",
        "Minimum/Maximum on a non-numeric property",
        "Property '{0}' of type '{1}' sets [Describe] Minimum/Maximum, which apply to numeric properties only");

    public static readonly DiagnosticDescriptor BadResult = Error("ORCH005",
        "Tool result must be a record",
        "Tool '{0}' must set Result = typeof(R) to a partial record ({1})");

    public static readonly DiagnosticDescriptor NonConstantDefault = Error("ORCH006",
        "Default value must be a constant",
        "Property '{0}' is initialized with '{1}', which is neither a compile-time constant nor an enum member and cannot become a schema default");

    public static readonly DiagnosticDescriptor DuplicateToolName = Error("ORCH007",
        "Duplicate tool name",
        "Tool name '{0}' is declared by more than one record ({1})");

    public static readonly DiagnosticDescriptor InvalidToolName = Error("ORCH008",
        "Invalid tool name",
        "Tool name '{0}' must match ^[a-z][a-z0-9_]*$");

    public static readonly DiagnosticDescriptor NoParameterlessConstructor = Error("ORCH009",
        "Argument record needs a parameterless constructor",
        "'{0}' is read from tool arguments and needs an accessible parameterless constructor (use init properties, not a positional record)");

    public static readonly DiagnosticDescriptor DuplicateHandlerName = Error("ORCH010",
        "Duplicate handler name",
        "Tools '{0}' and '{1}' would both be handled by IToolHandlerSource.{2}; rename one of their argument records");

    public static readonly DiagnosticDescriptor DuplicateJsonName = Error("ORCH011",
        "Duplicate JSON property name",
        "Property '{0}' maps to JSON name '{1}', which another property of the record already uses");

    public static readonly DiagnosticDescriptor NegativeRateLimit = Error("ORCH012",
        "Negative rate limit",
        "Tool '{0}' sets PerMinute = {1}; use 0 for no rate limit or the number of calls admitted per client per minute");

    public static readonly DiagnosticDescriptor MaxItemsOnNonArray = Error("ORCH013",
        "MaxItems on a property that is not an array, or not positive",
        "Property '{0}' of type '{1}' sets [Describe] MaxItems = {2}; it applies to array properties only and must be at least 1");
}
