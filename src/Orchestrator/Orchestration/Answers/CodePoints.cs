namespace Orchestrator.Orchestration.Answers;

/// <summary>
/// Characters as SQLite counts them (<c>length()</c>, <c>substr()</c>): Unicode code points, so that a surrogate pair
/// is one character and a text is never cut between its halves. Offsets and lengths in answers use this unit.
/// </summary>
internal static class CodePoints
{
    public static int Count(string text)
    {
        // Most texts have no surrogate at all: one vectorised scan says so, and then every char is a character.
        if (!text.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF')) return text.Length;
        var count = 0;
        for (var i = 0; i < text.Length; i++)
            if (!(char.IsLowSurrogate(text[i]) && i > 0 && char.IsHighSurrogate(text[i - 1]))) count++;
        return count;
    }

    /// <summary>The UTF-16 index at which the first <paramref name="codePoints"/> characters end (the text's length when it has fewer).</summary>
    public static int IndexAfter(string text, int codePoints)
    {
        if (codePoints >= text.Length) return text.Length;
        if (!text.AsSpan(0, codePoints).ContainsAnyInRange('\uD800', '\uDFFF')) return codePoints;
        var index = 0;
        for (var n = 0; n < codePoints && index < text.Length; n++)
            index += char.IsHighSurrogate(text[index]) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]) ? 2 : 1;
        return index;
    }

    public static string Prefix(string text, int codePoints) => text[..IndexAfter(text, codePoints)];

    public static string Slice(string text, int offset, int count)
    {
        var start = IndexAfter(text, offset);
        var rest = text[start..];
        return rest[..IndexAfter(rest, count)];
    }
}
