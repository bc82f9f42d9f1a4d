using Microsoft.AspNetCore.Http;
using Orchestrator.Board;
using Orchestrator.Http;

namespace Orchestrator.Hosting;

/// <summary>The board's access rules are the MCP endpoint's: its Origin/Host policy and its bearer token (rotations included).</summary>
internal sealed class BoardGuard(HttpOptions options) : IBoardGuard
{
    public bool AllowsOrigin(HttpRequest request, out string refusal) => OriginPolicy.Allows(request, options, out refusal);

    public bool TokenRequired => options.Token is not null;

    public bool Admits(string token) => options.Token is { } bearer && bearer.Admits("Bearer " + token);
}
