using System.Net;
using System.Net.Sockets;

namespace Orchestrator.Http;

/// <summary>Settings of the Streamable HTTP mode (<c>--http</c>).</summary>
internal sealed record HttpOptions
{
    public const string EndpointPath = "/mcp";

    public required IPEndPoint EndPoint { get; init; }

    /// <summary>
    /// The bearer token every request must carry; null serves without authentication. Set when the server starts
    /// (<see cref="BearerToken.Open"/>), from what the user configured.
    /// </summary>
    public BearerToken? Token { get; init; }

    /// <summary>Origins (scheme://host[:port]) a browser page may call from, besides the local ones.</summary>
    public IReadOnlyList<string> AllowedOrigins { get; init; } = [];

    public const int DefaultMaxSessions = 1000;
    public static readonly TimeSpan DefaultSessionIdleTimeout = TimeSpan.FromHours(2);

    /// <summary>Sessions kept at most (<c>--http-max-sessions</c>); a new one past it makes the longest idle one forgotten.</summary>
    public int MaxSessions { get; init; } = DefaultMaxSessions;

    /// <summary>A session with no request for this long is forgotten (<c>--http-session-idle-timeout</c>).</summary>
    public TimeSpan SessionIdleTimeout { get; init; } = DefaultSessionIdleTimeout;

    /// <summary>Parses <c>[ADDR:]PORT</c>; a non-loopback address needs <paramref name="allowRemote"/>.</summary>
    /// <exception cref="FormatException">The value is unusable; the message names the flag and says why.</exception>
    public static IPEndPoint ParseEndPoint(string text, bool allowRemote)
    {
        string host = "127.0.0.1", port = text;
        var colon = text.LastIndexOf(':');
        if (colon >= 0)
        {
            host = text[..colon].Trim('[', ']');
            port = text[(colon + 1)..];
        }
        if (!int.TryParse(port, out var number) || number is < 0 or > 65535)
            throw new FormatException($"--http: '{text}' is not [ADDR:]PORT (port 0-65535)");
        IPAddress address;
        if (host is "localhost" or "") address = IPAddress.Loopback;
        else if (!IPAddress.TryParse(host, out address!))
            throw new FormatException($"--http: '{host}' is not an IP address (use e.g. 127.0.0.1, 0.0.0.0 or [::1])");
        if (!IPAddress.IsLoopback(address) && !allowRemote)
            throw new FormatException($"--http: binding {address} exposes the server beyond this machine; add --http-allow-remote (and set --auth-token)");
        if (address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
            throw new FormatException($"--http: unsupported address {address}");
        return new IPEndPoint(address, number);
    }
}
