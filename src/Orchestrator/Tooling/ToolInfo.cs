namespace Orchestrator.Tooling;

/// <summary>
/// What the generator knows of one tool, for listing, serving and tests: its name, description, group, schemas
/// (UTF-8 JSON) and the rules its <c>[McpTool]</c> declares.
/// </summary>
public sealed record ToolInfo(string Name, string Description, string Group, byte[] InputSchema, byte[] OutputSchema, ToolRules Rules);
