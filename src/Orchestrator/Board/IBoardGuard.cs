using Microsoft.AspNetCore.Http;

namespace Orchestrator.Board;

/// <summary>
/// The access rules the board shares with the MCP endpoint, given by whoever serves it (Hosting, Cli): the board
/// knows nothing of how the token is kept (fixed, rotated from a file) nor of the Origin/Host policy's settings.
/// </summary>
internal interface IBoardGuard
{
    /// <summary>Whether a browser origin and the Host header are acceptable (DNS-rebinding protection); why not otherwise.</summary>
    bool AllowsOrigin(HttpRequest request, out string refusal);

    /// <summary>Whether a token is needed at all (a server without one serves the loopback only).</summary>
    bool TokenRequired { get; }

    /// <summary>Whether <paramref name="token"/> is the bearer token now in effect (compared in constant time).</summary>
    bool Admits(string token);
}
