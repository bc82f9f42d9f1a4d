using System.Buffers.Text;
using System.Text;

namespace Orchestrator.Orchestration.Mcp;

/// <summary>
/// The opaque cursor of <c>resources/list</c>: the id of the last task on the page before (keyset paging on the
/// tasks' primary key, so a page costs the same at any depth and the order is stable while tasks come and go).
/// Base64url of a versioned text, so a client cannot mistake it for an id and an old cursor is recognised as such.
/// </summary>
internal static class ResourceCursor
{
    private const string Prefix = "r1:";

    public static string Encode(string lastTaskId) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Prefix + lastTaskId));

    /// <summary>The task id to continue after, or null when the cursor is not one of ours.</summary>
    public static string? Decode(string cursor)
    {
        if (cursor.Length is 0 or > 400) return null;
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(cursor);
        }
        catch (FormatException)
        {
            return null;
        }
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
        if (!text.StartsWith(Prefix, StringComparison.Ordinal)) return null;
        var id = text[Prefix.Length..];
        return ResourceUri.IsIdShaped(id) ? id : null;
    }
}
