using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Orchestrator.Native;

namespace Orchestrator.Http;

/// <summary>
/// The token every HTTP request must carry. A value (<c>--auth-token</c>, <c>ORCHESTRATOR_AUTH_TOKEN</c>) is fixed; a
/// token read from <c>--auth-token-file</c> follows the file: each request looks at it (one <c>statx</c>) and reads it
/// again when it changed, so a rotated token is in effect from the next request on, without a restart. A file that
/// changed into something unusable (unreadable, empty, open to other users) is logged once and the token last accepted
/// stays in effect: the server is never left open, and clients holding that token are not locked out.
/// </summary>
internal sealed class BearerToken
{
    /// <summary>
    /// A file changed less than this before it was read may change again with the same size and time stamps (the kernel's
    /// file times are coarse): until it is older than this, it is read again at each request.
    /// </summary>
    private const long SettleNs = 1_000_000_000;

    private readonly string? _path;
    private readonly bool _allowExposed;
    private readonly Action<string> _accepted;
    private readonly ILogger? _logger;
    private readonly Lock _refreshing = new();
    private volatile State _state;

    private BearerToken(string token, string? path, bool allowExposed, FileStat? version, Action<string> accepted, ILogger? logger)
    {
        _state = new State(Encoding.UTF8.GetBytes(token), version, NowNs());
        _path = path;
        _allowExposed = allowExposed;
        _accepted = accepted;
        _logger = logger;
    }

    /// <summary>The token requests are checked against now, from the file if it changed since it was last read.</summary>
    private byte[] Current => Refreshed().Token;

    /// <summary>A token that never changes.</summary>
    public static BearerToken Fixed(string token) => new(token, null, false, null, static _ => { }, null);

    /// <summary>
    /// The token of <paramref name="source"/>, null without one. <paramref name="accepted"/> is told every token taken from
    /// the file (now and on each change): it hands the last good one to the next image.
    /// </summary>
    /// <exception cref="FormatException">The file gives no token and the previous image handed none over; the message says why.</exception>
    public static BearerToken? Open(TokenSource? source, Action<string> accepted, ILogger logger)
    {
        if (source is null) return null;
        if (source.Value is { } value) return Fixed(value);
        var path = source.File!;
        var read = TokenFile.Read(path, source.AllowExposedFile);
        if (read.Token is { } token)
        {
            accepted(token);
            return new BearerToken(token, path, source.AllowExposedFile, read.Version, accepted, logger);
        }
        if (source.HandedOver is not { } carried) throw new FormatException("--auth-token-file: " + read.Problem);
        logger.LogWarning("--auth-token-file: {Problem}; the token the previous image accepted stays in effect", read.Problem);
        return new BearerToken(carried, path, source.AllowExposedFile, read.Version, accepted, logger);
    }

    /// <summary>
    /// Whether an <c>Authorization</c> header value carries this token. Compared in constant time (for a given length);
    /// no hashing, which on Linux would load OpenSSL, absent from a scratch image.
    /// </summary>
    public bool Admits(string authorization)
    {
        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return false;
        var presented = Encoding.UTF8.GetBytes(authorization.AsSpan("Bearer ".Length).Trim().ToString());
        return CryptographicOperations.FixedTimeEquals(presented, Current);
    }

    private State Refreshed()
    {
        var state = _state;
        if (_path is null || (FileStat.Of(_path) == state.Version && !state.Unsettled)) return state;
        lock (_refreshing)
        {
            state = _state;
            var version = FileStat.Of(_path);
            if (version == state.Version && !state.Unsettled) return state;
            var read = TokenFile.Read(_path, _allowExposed);
            if (read.Token is not { } token)
            {
                if (read.Version != state.Version)
                    _logger?.LogWarning("The token file changed but {Problem}: the token last accepted stays in effect", read.Problem);
                return _state = state with { Version = read.Version, ReadAtNs = NowNs() };
            }
            var bytes = Encoding.UTF8.GetBytes(token);
            if (!bytes.AsSpan().SequenceEqual(state.Token))
            {
                _accepted(token);
                _logger?.LogInformation("The token file {Path} changed: its new token is in effect", _path);
            }
            return _state = new State(bytes, read.Version, NowNs());
        }
    }

    private static long NowNs() => (DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100;

    /// <param name="Token">The token in effect, UTF-8.</param>
    /// <param name="Version">The token file as it was when last read; null for a fixed token or a file that was missing.</param>
    /// <param name="ReadAtNs">When it was read, on the clock of the file times.</param>
    private sealed record State(byte[] Token, FileStat? Version, long ReadAtNs)
    {
        public bool Unsettled => Version is { } v && ReadAtNs - Math.Max(v.ModifiedNs, v.ChangedNs) < SettleNs;
    }
}
