namespace Orchestrator.Tooling;

/// <summary>What the generator knows of one tool, for listing and tests: its name, description, group, schemas (UTF-8 JSON) and rules.</summary>
public sealed record ToolInfo(string Name, string Description, string Group, byte[] InputSchema, byte[] OutputSchema, ToolRules Rules);

/// <summary>What the server enforces around a tool, declared with it (<see cref="McpToolAttribute"/>) and applied in one place.</summary>
/// <param name="PerMinute">Calls admitted per client in a sliding 60-second window; 0: no limit.</param>
/// <param name="AllowedDuringMaintenance">Still served while a restart holds other work: the tool observes or refuses, never changes state.</param>
public readonly record struct ToolRules(int PerMinute, bool AllowedDuringMaintenance);
