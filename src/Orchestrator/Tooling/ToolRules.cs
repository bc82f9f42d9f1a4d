namespace Orchestrator.Tooling;

/// <summary>How the server admits calls of one tool, as its <c>[McpTool]</c> declares them.</summary>
/// <param name="PerMinute">Calls admitted per client in a sliding 60-second window; 0 means no rate limit.</param>
/// <param name="AllowedDuringMaintenance">
/// Still served while a restart holds other work: the tool observes or refuses, never changes state.
/// </param>
/// <param name="Idempotent">Takes a <c>request_id</c> that makes a retried call answer the first answer again (<see cref="IdempotentRequest"/>).</param>
public readonly record struct ToolRules(int PerMinute, bool AllowedDuringMaintenance, bool Idempotent = false);
