using System.Text.Json;

namespace Orchestrator.Benchmarks;

/// <summary>A string as a JSON string literal (quoted, escaped), for the request frames the benchmarks write by hand.</summary>
internal static class JsonLiteral
{
    public static string Of(string value)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer)) writer.WriteStringValue(value);
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
