namespace Orchestrator.Tooling;

/// <summary>
/// Declares an MCP tool on the partial record of its arguments. The Orchestrator.Generators source generator
/// turns it into the tool's input/output schemas, argument parsing and validation, and its registration.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class McpToolAttribute(string name) : Attribute
{
    /// <summary>The tool name clients call (snake_case, e.g. <c>orchestrator_restart_server</c>).</summary>
    public string Name { get; } = name;

    /// <summary>The description shown in <c>tools/list</c>.</summary>
    public string Description { get; set; } = "";

    /// <summary>The partial record returned as <c>structuredContent</c>; it yields the tool's outputSchema.</summary>
    public Type? Result { get; set; }

    /// <summary>The tool group used by <c>--tools</c> to shorten the tool list (e.g. <c>reboot</c>, <c>tasks</c>).</summary>
    public string Group { get; set; } = "default";

    /// <summary>Calls admitted per client in a sliding 60-second window; 0 (the default) means no rate limit.</summary>
    public int PerMinute { get; set; }

    /// <summary>
    /// The tool is still served while a restart holds other work: it observes or refuses, never changes state.
    /// </summary>
    public bool AllowedDuringMaintenance { get; set; }

    /// <summary>
    /// The tool changes state and may be retried safely: it takes an optional <c>request_id</c> (the generator adds it to
    /// the input schema, the runtime reads it before the tool's arguments, see <see cref="IdempotentRequest"/>), and the
    /// handler remembers the first answer under it in the transaction of the change.
    /// </summary>
    public bool Idempotent { get; set; }
}

/// <summary>
/// Describes one property of a tool's arguments or result. <see cref="Minimum"/> and <see cref="Maximum"/>
/// become JSON-schema bounds and are enforced on arguments; <c>NaN</c> means unbounded. <see cref="MaxItems"/> bounds
/// an array argument (the schema's <c>maxItems</c>), checked before any of its items is read.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class DescribeAttribute(string description) : Attribute
{
    /// <summary>The bound of an array argument that declares none: no call's array is walked without a bound.</summary>
    public const int DefaultMaxItems = 1000;

    public string Description { get; } = description;
    public double Minimum { get; set; } = double.NaN;
    public double Maximum { get; set; } = double.NaN;

    /// <summary>The most items an array argument accepts; 0 (unset) means <see cref="DefaultMaxItems"/>.</summary>
    public int MaxItems { get; set; }
}

/// <summary>Marks a record that appears inside a tool result (or argument) so that the generator emits its JSON writer.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class McpModelAttribute : Attribute;
