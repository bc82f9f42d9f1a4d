using System.Globalization;

namespace Orchestrator.Tooling;

/// <summary>
/// How values that JSON has no type for are written in tool results; the generated <c>WriteJson</c> methods call it.
/// Public because the generator tests compile generated code in their own assembly against this one.
/// </summary>
public static class JsonResultFormat
{
    /// <summary>UTC, ISO 8601, always with milliseconds (<c>2025-06-06T12:00:00.123Z</c>), as the seed's clients parse it.</summary>
    public static string FormatDateTime(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
