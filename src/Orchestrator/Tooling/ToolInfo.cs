namespace Orchestrator.Tooling;

/// <summary>What the generator knows of one tool, for listing and tests: its name, description, group and schemas (UTF-8 JSON).</summary>
public sealed record ToolInfo(string Name, string Description, string Group, byte[] InputSchema, byte[] OutputSchema);
