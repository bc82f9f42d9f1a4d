using System.Text.Json;
using ModelContextProtocol.Protocol;

namespace Orchestrator.Transport;

/// <summary>
/// The request id of a line too long to read, found in its first bytes when the message names it before its large
/// part (clients usually write <c>jsonrpc</c>, <c>id</c>, <c>method</c> before <c>params</c>), so that the error answer
/// reaches the request that waits for it.
/// </summary>
internal static class OversizedLine
{
    /// <summary>The top-level <c>id</c> (a string or an integer) among the first members of <paramref name="start"/>; null when not there.</summary>
    public static RequestId? RecoverId(ReadOnlySpan<byte> start)
    {
        var reader = new Utf8JsonReader(start, isFinalBlock: false, state: default);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isId = reader.ValueTextEquals("id"u8);
                // A value cut off by the end of what was read (the large one) ends the search.
                if (!reader.Read()) return null;
                if (isId) return IdOf(ref reader);
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && !reader.TrySkip()) return null;
            }
        }
        catch (JsonException)
        {
            // Not JSON: there is no id to recover.
        }
        return null;
    }

    private static RequestId? IdOf(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var number)) return new RequestId(number);
        if (reader.TokenType != JsonTokenType.String) return null;
        try
        {
            return new RequestId(reader.GetString()!);
        }
        catch (InvalidOperationException)
        {
            return null; // an unpaired surrogate escape: not an id this server could answer
        }
    }
}
