using System.Text;

namespace Orchestrator.Http;

/// <summary>
/// The head of one HTTP/1.1 request (request line and header fields) read from a connection's bytes, for the
/// <see cref="HttpFront"/>, which answers some requests before ASP.NET Core's host exists. Strict on purpose: anything
/// unusual (a folded line, a repeated field, a field name that is not a token, a head past <see cref="MaxBytes"/>) makes
/// the head <see cref="RawHeadStatus.Unusable"/>, and the request then goes to Kestrel, which knows every rule of HTTP.
/// </summary>
internal sealed class RawRequestHead
{
    /// <summary>Heads longer than this are left to Kestrel (its own limit is 32 KB).</summary>
    public const int MaxBytes = 16 * 1024;

    private static ReadOnlySpan<byte> HeadEnd => "\r\n\r\n"u8;

    private readonly Dictionary<string, string> _fields;

    private RawRequestHead(string method, string target, string version, Dictionary<string, string> fields, int length)
    {
        Method = method;
        Target = target;
        Version = version;
        _fields = fields;
        Length = length;
    }

    public string Method { get; }
    public string Target { get; }
    public string Version { get; }

    /// <summary>The head's bytes, its final empty line included: where the body begins.</summary>
    public int Length { get; }

    /// <summary>A field's value (names are case-insensitive), or null when the request has no such field.</summary>
    public string? this[string name] => _fields.TryGetValue(name, out var value) ? value : null;

    /// <summary>Reads the head at the start of <paramref name="bytes"/>.</summary>
    public static RawHeadStatus TryRead(ReadOnlySpan<byte> bytes, out RawRequestHead? head)
    {
        head = null;
        var end = bytes.IndexOf(HeadEnd);
        if (end < 0) return bytes.Length > MaxBytes ? RawHeadStatus.Unusable : RawHeadStatus.Incomplete;
        if (end + HeadEnd.Length > MaxBytes) return RawHeadStatus.Unusable;
        var text = Encoding.Latin1.GetString(bytes[..end]);
        var lines = text.Split("\r\n");
        var requestLine = lines[0].Split(' ');
        if (requestLine.Length != 3 || requestLine.Any(part => part.Length == 0)) return RawHeadStatus.Unusable;
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.AsSpan(1))
        {
            var colon = line.IndexOf(':');
            if (colon <= 0) return RawHeadStatus.Unusable;
            var name = line[..colon];
            if (!IsToken(name)) return RawHeadStatus.Unusable; // also refuses folded lines (they begin with a space)
            var value = line[(colon + 1)..].Trim(' ', '\t');
            if (value.Any(c => c != '\t' && char.IsControl(c))) return RawHeadStatus.Unusable;
            if (!fields.TryAdd(name, value)) return RawHeadStatus.Unusable;
        }
        head = new RawRequestHead(requestLine[0], requestLine[1], requestLine[2], fields, end + HeadEnd.Length);
        return RawHeadStatus.Complete;
    }

    /// <summary>RFC 9110's token: the characters a field name may have.</summary>
    private static bool IsToken(string name) =>
        name.All(c => c is > ' ' and < (char)0x7F && !"\"(),/:;<=>?@[\\]{}".Contains(c));
}

internal enum RawHeadStatus
{
    /// <summary>The head has not fully arrived.</summary>
    Incomplete,

    /// <summary>The head is complete and read.</summary>
    Complete,

    /// <summary>Too long or unusual: for Kestrel.</summary>
    Unusable,
}
