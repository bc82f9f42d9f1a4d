using System.Globalization;

namespace Orchestrator.Http;

/// <summary>
/// The id of an event on a session's standalone stream (<see cref="SessionEventStreams"/>): <c>u</c> and the store's
/// change mark (<see cref="Orchestration.Mcp.ResourceChanges"/>) up to which the client has been told of its subscribed
/// resources' updates. The id is the whole state of the stream: a client that resumes with it (<c>Last-Event-ID</c>, in
/// this image or the next) is told of what changed after that mark; nothing needs keeping per stream. Never parses as an
/// <see cref="SseEventId"/> (those start with a digit), so the two kinds of stream cannot be confused.
/// </summary>
internal static class SessionEventId
{
    private const int MaxLength = 21; // "u" and a long

    public static string Of(long mark) => string.Create(CultureInfo.InvariantCulture, $"u{mark}");

    /// <summary>The mark of an id this server wrote; false for anything else (the SDK's ids, another server's, garbage).</summary>
    public static bool TryParse(string text, out long mark)
    {
        mark = 0;
        return text.Length is > 1 and <= MaxLength && text[0] == 'u' &&
            long.TryParse(text.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out mark);
    }
}
