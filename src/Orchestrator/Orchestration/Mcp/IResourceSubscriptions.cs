using System.Text.Json;

namespace Orchestrator.Orchestration.Mcp;

/// <summary>
/// <c>resources/subscribe</c> and <c>resources/unsubscribe</c> as a transport keeps them: stdio for its one client,
/// Streamable HTTP per session (<paramref name="sessionId"/>; null for a request outside any session).
/// </summary>
internal interface IResourceSubscriptions
{
    ValueTask<McpAnswer> SubscribeAsync(string? sessionId, JsonElement? parameters);

    McpAnswer Unsubscribe(string? sessionId, JsonElement? parameters);
}
