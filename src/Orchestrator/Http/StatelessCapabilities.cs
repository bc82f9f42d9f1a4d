using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Orchestrator.Http;

/// <summary>
/// What <c>server/discover</c> (the stateless 2026-07-28 revision) says the server can do, kept true: resource
/// subscriptions belong to a session and travel on its GET stream (<see cref="SessionEventStreams"/>), and a stateless
/// client has neither (the SDK answers its <c>subscriptions/listen</c> granting nothing). The SDK writes one capability
/// set for both revisions and already drops <c>listChanged</c> from this answer; this filter drops
/// <c>resources.subscribe</c> too. <c>initialize</c> (2025-11-25 sessions) keeps both.
/// </summary>
internal static class StatelessCapabilities
{
    public static McpMessageFilter Filter => next => (context, cancellationToken) =>
    {
        // The discover result is the one answer that lists supportedVersions.
        if (context.JsonRpcMessage is JsonRpcResponse { Result: JsonObject result } && result.ContainsKey("supportedVersions") &&
            result["capabilities"]?["resources"] is JsonObject resources)
            resources.Remove("subscribe");
        return next(context, cancellationToken);
    };
}
