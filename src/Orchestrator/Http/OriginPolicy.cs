using System.Net;
using Microsoft.AspNetCore.Http;

namespace Orchestrator.Http;

/// <summary>
/// Protection against DNS rebinding, as the MCP transport specification requires of local servers: a browser page
/// may call only from a local origin or one the operator allowed, and on a loopback-bound server the Host header
/// must name the loopback too (a rebound name such as <c>evil.example</c> is refused even though it resolves here).
/// </summary>
internal static class OriginPolicy
{
    public static bool Allows(HttpRequest request, HttpOptions options, out string refusal)
    {
        refusal = "";
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && !IsLocal(origin) && !options.AllowedOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase))
        {
            refusal = $"origin '{origin}' is not allowed";
            return false;
        }
        if (IPAddress.IsLoopback(options.EndPoint.Address) && !IsLoopbackHost(request.Host.Host))
        {
            refusal = $"host '{request.Host.Host}' does not name this local server";
            return false;
        }
        return true;
    }

    private static bool IsLocal(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && (uri.Scheme is "http" or "https") && IsLoopbackHost(uri.Host);

    private static bool IsLoopbackHost(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
