using System.Text.Json;

namespace Orchestrator.Orchestration.Mcp;

/// <summary>
/// Reads JSON strings from client input without trusting them: an escape such as <c>"\ud800"</c> (an unpaired
/// surrogate) is valid JSON but not valid Unicode, and <see cref="JsonElement.GetString"/> throws
/// <see cref="InvalidOperationException"/> for it, which on the stdin reader's thread would end the process.
/// </summary>
internal static class JsonStrings
{
    /// <summary>The string value, or false when the element is not a string or does not decode to valid Unicode.</summary>
    public static bool TryGet(JsonElement element, out string value)
    {
        value = "";
        if (element.ValueKind != JsonValueKind.String) return false;
        try
        {
            value = element.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>The property's name, or false when it does not decode to valid Unicode.</summary>
    public static bool TryGetName(JsonProperty property, out string name)
    {
        try
        {
            name = property.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            name = "";
            return false;
        }
    }
}
