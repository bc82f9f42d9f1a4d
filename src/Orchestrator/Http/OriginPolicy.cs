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
    public static bool Allows(HttpRequest request, HttpOptions options, out string refusal) =>
        Allows(request.Headers.Origin.ToString(), request.Host.Host, options, out refusal);

    /// <summary>The same check on a request's raw <c>Origin</c> and <c>Host</c> fields (the host with or without its port).</summary>
    public static bool AllowsRaw(string origin, string hostField, HttpOptions options, out string refusal) =>
        Allows(origin, WithoutPort(hostField), options, out refusal);

    private static bool Allows(string origin, string host, HttpOptions options, out string refusal)
    {
        refusal = "";
        if (origin.Length > 0 && !IsLocal(origin) && !options.AllowedOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase))
        {
            refusal = $"origin '{origin}' is not allowed";
            return false;
        }
        if (IPAddress.IsLoopback(options.EndPoint.Address) && !IsLoopbackHost(host))
        {
            refusal = $"host '{host}' does not name this local server";
            return false;
        }
        return true;
    }

    /// <summary><c>localhost:8080</c> → <c>localhost</c>, <c>[::1]:8080</c> → <c>[::1]</c>; a host without a port as it is.</summary>
    private static string WithoutPort(string host)
    {
        if (host.StartsWith('['))
        {
            var close = host.IndexOf(']');
            return close < 0 ? host : host[..(close + 1)];
        }
        var colon = host.LastIndexOf(':');
        return colon < 0 ? host : host[..colon];
    }

    private static bool IsLocal(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && (uri.Scheme is "http" or "https") && IsLoopbackHost(uri.Host);

    private static bool IsLoopbackHost(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
