using System.Globalization;

namespace Orchestrator.Http;

/// <summary>
/// The id of one event of a resumable response stream, as a client sends it back in <c>Last-Event-ID</c>:
/// <c>STREAM-SEQUENCE</c>, both decimal. The stream number is the store's own (unique within a server and the images that
/// succeed it by restart); the request id the stream answers never appears in it, since a client chooses that id and it
/// could hold anything, line breaks included, which an SSE <c>id:</c> line cannot carry.
/// </summary>
internal readonly record struct SseEventId(long Stream, int Sequence)
{
    /// <summary>Longer than any id this store writes: the header is not parsed further.</summary>
    private const int MaxLength = 40;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Stream}-{Sequence}");

    /// <summary>Parses an id this store wrote; anything else (another server's, a guess, garbage) is not an id.</summary>
    public static bool TryParse(string text, out SseEventId id)
    {
        id = default;
        if (text.Length is 0 or > MaxLength) return false;
        var dash = text.IndexOf('-');
        if (dash <= 0) return false;
        const NumberStyles digitsOnly = NumberStyles.None;
        if (!long.TryParse(text.AsSpan(0, dash), digitsOnly, CultureInfo.InvariantCulture, out var stream) || stream <= 0) return false;
        if (!int.TryParse(text.AsSpan(dash + 1), digitsOnly, CultureInfo.InvariantCulture, out var sequence) || sequence <= 0) return false;
        id = new SseEventId(stream, sequence);
        return true;
    }
}
