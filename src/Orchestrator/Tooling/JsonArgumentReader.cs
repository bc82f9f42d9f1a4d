using System.Globalization;
using System.Text.Json;

namespace Orchestrator.Tooling;

/// <summary>
/// Reads one JSON value of a tool's arguments into a C# value, reporting a bad value to <see cref="ArgumentErrors"/>
/// instead of throwing, so that a call learns of every bad field at once. The generated <c>TryParse</c>/<c>TryRead</c>
/// methods call it. Public because the generator tests compile generated code in their own assembly against this one.
/// </summary>
public static class JsonArgumentReader
{
    /// <summary>The path of property <paramref name="name"/> inside the object at <paramref name="path"/> (the root is "").</summary>
    public static string Field(string path, string name) => path.Length == 0 ? name : path + "." + name;

    /// <summary>The path of element <paramref name="index"/> of the array at <paramref name="path"/>.</summary>
    public static string Index(string path, int index) => path + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";

    /// <summary>The problem text for an array longer than its bound, e.g. "at most 50 items, got 100000".</summary>
    public static string TooManyItems(int maxItems, JsonElement array) =>
        "at most " + maxItems.ToString(CultureInfo.InvariantCulture) + " items, got " + array.GetArrayLength().ToString(CultureInfo.InvariantCulture);

    /// <summary>The problem text for a value of the wrong JSON kind, e.g. "expected integer, got string".</summary>
    public static string Expected(string type, JsonElement element) => "expected " + type + ", got " + Kind(element);

    public static bool ReadBoolean(JsonElement element, string field, ArgumentErrors errors, out bool value)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.True: value = true; return true;
            case JsonValueKind.False: value = false; return true;
            default: value = false; errors.Add(field, Expected("boolean", element)); return false;
        }
    }

    /// <summary>Reads a 32-bit integer within [<paramref name="minimum"/>, <paramref name="maximum"/>] (NaN: unbounded); 60.0 counts as 60.</summary>
    public static bool ReadInt32(JsonElement element, string field, ArgumentErrors errors, double minimum, double maximum, out int value)
    {
        value = 0;
        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out value)) { }
        else if (ReadIntegral(element, field, errors, int.MinValue, int.MaxValue, "32-bit", out var number)) value = (int)number;
        else return false;
        return CheckRange(value, field, errors, minimum, maximum, element.GetRawText());
    }

    /// <summary>Reads a 64-bit integer within [<paramref name="minimum"/>, <paramref name="maximum"/>] (NaN: unbounded).</summary>
    public static bool ReadInt64(JsonElement element, string field, ArgumentErrors errors, double minimum, double maximum, out long value)
    {
        value = 0;
        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out value)) { }
        // The bounds are the doubles nearest to long.MinValue and below long.MaxValue, so that the cast cannot overflow.
        else if (ReadIntegral(element, field, errors, -9.2233720368547758E+18, 9.2233720368547748E+18, "64-bit", out var number)) value = (long)number;
        else return false;
        return CheckRange(value, field, errors, minimum, maximum, element.GetRawText());
    }

    public static bool ReadDouble(JsonElement element, string field, ArgumentErrors errors, double minimum, double maximum, out double value)
    {
        value = 0;
        if (element.ValueKind != JsonValueKind.Number) { errors.Add(field, Expected("number", element)); return false; }
        if (!element.TryGetDouble(out value) || double.IsInfinity(value)) { errors.Add(field, "is out of range, got " + element.GetRawText()); return false; }
        return CheckRange(value, field, errors, minimum, maximum, element.GetRawText());
    }

    public static bool ReadSingle(JsonElement element, string field, ArgumentErrors errors, double minimum, double maximum, out float value)
    {
        value = 0;
        if (!ReadDouble(element, field, errors, minimum, maximum, out var number)) return false;
        value = (float)number;
        if (float.IsInfinity(value)) { errors.Add(field, "is out of range, got " + element.GetRawText()); return false; }
        return true;
    }

    public static bool ReadString(JsonElement element, string field, ArgumentErrors errors, out string value)
    {
        value = "";
        if (element.ValueKind != JsonValueKind.String) { errors.Add(field, Expected("string", element)); return false; }
        return ReadText(element, field, errors, out value);
    }

    /// <summary>
    /// The text of a JSON string already known to be one. An unpaired surrogate escape (valid JSON, not valid
    /// Unicode) makes <see cref="JsonElement.GetString"/> throw: a bad field, not a crash.
    /// </summary>
    public static bool ReadText(JsonElement element, string field, ArgumentErrors errors, out string value)
    {
        try
        {
            value = element.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            value = "";
            errors.Add(field, "is not valid Unicode (an unpaired surrogate escape)");
            return false;
        }
    }

    public static bool ReadDateTimeOffset(JsonElement element, string field, ArgumentErrors errors, out DateTimeOffset value)
    {
        value = default;
        if (element.ValueKind != JsonValueKind.String) { errors.Add(field, Expected("date-time string", element)); return false; }
        if (element.TryGetDateTimeOffset(out value)) return true;
        errors.Add(field, "must be an ISO 8601 date-time, got " + element.GetRawText());
        return false;
    }

    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    /// <summary>An integer sent as a JSON number that <c>TryGetInt32/64</c> refused: a fraction, an exponent, or out of range.</summary>
    private static bool ReadIntegral(JsonElement element, string field, ArgumentErrors errors, double lowest, double highest, string range, out double value)
    {
        value = 0;
        if (element.ValueKind != JsonValueKind.Number) { errors.Add(field, Expected("integer", element)); return false; }
        if (!element.TryGetDouble(out value) || value != Math.Floor(value)) { errors.Add(field, "expected integer, got " + element.GetRawText()); return false; }
        if (value < lowest || value > highest) { errors.Add(field, "must be a " + range + " integer, got " + element.GetRawText()); return false; }
        return true;
    }

    /// <summary>Checks the [Describe] bounds; the message names both bounds when both are set, as the schema does.</summary>
    private static bool CheckRange(double number, string field, ArgumentErrors errors, double minimum, double maximum, string raw)
    {
        var low = !double.IsNaN(minimum) && number < minimum;
        var high = !double.IsNaN(maximum) && number > maximum;
        if (!low && !high) return true;
        if (!double.IsNaN(minimum) && !double.IsNaN(maximum)) errors.Add(field, "must be between " + Bound(minimum) + " and " + Bound(maximum) + ", got " + raw);
        else if (low) errors.Add(field, "must be at least " + Bound(minimum) + ", got " + raw);
        else errors.Add(field, "must be at most " + Bound(maximum) + ", got " + raw);
        return false;
    }

    /// <summary>A bound as the schema spells it: integers without ".0".</summary>
    private static string Bound(double value) =>
        value == Math.Floor(value) && Math.Abs(value) < 1e15
            ? ((long)value).ToString(CultureInfo.InvariantCulture)
            : value.ToString("R", CultureInfo.InvariantCulture);
}
