namespace Orchestrator.Http;

/// <summary>
/// Finds where HTTP/1.1 request heads end (the empty line, <c>CRLF CRLF</c>) in the bytes a connection receives, across
/// reads, so that a restart can tell a connection whose request head is complete (a request the client has sent)
/// from one still sending it (which must not hold a restart). Positions count bytes from the connection's start.
/// </summary>
internal sealed class RequestHeadScanner
{
    private static ReadOnlySpan<byte> HeadEnd => "\r\n\r\n"u8;

    private int _matched; // bytes of CRLF CRLF matched at the end of what was scanned (0 to 3)
    private long _scanned;

    /// <summary>The position just past the last <c>CRLF CRLF</c> scanned; -1 before any.</summary>
    public long LastHeadEnd { get; private set; } = -1;

    public void Scan(ReadOnlySpan<byte> bytes)
    {
        var start = _scanned;
        _scanned += bytes.Length;
        // A match begun in an earlier read finishes within the first three bytes of this one.
        var i = 0;
        for (; i < bytes.Length && _matched > 0; i++)
        {
            _matched = Step(_matched, bytes[i]);
            if (_matched == HeadEnd.Length)
            {
                LastHeadEnd = start + i + 1;
                _matched = 0;
            }
        }
        var rest = bytes[i..];
        var last = rest.LastIndexOf(HeadEnd);
        if (last >= 0) LastHeadEnd = start + i + last + HeadEnd.Length;
        // What the next read may complete: the longest end of this one that begins CRLF CRLF (at most three bytes).
        foreach (var b in rest[Math.Max(0, rest.Length - (HeadEnd.Length - 1))..]) _matched = Step(_matched, b);
        if (_matched == HeadEnd.Length) _matched = 0;
    }

    /// <summary>One byte of the matcher: CRLF CRLF can only restart on a CR.</summary>
    private static int Step(int matched, byte b) => b == HeadEnd[matched] ? matched + 1 : b == (byte)'\r' ? 1 : 0;
}
