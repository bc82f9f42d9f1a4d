using System.Text.Json;

namespace Orchestrator.Benchmarks;

/// <summary>
/// A benchmark's JSON report as the bench verbs print it: indented, naming the benchmark, when it ran and on how many
/// cores, then what <c>body</c> writes.
/// </summary>
internal static class BenchmarkReport
{
    public static string Write(string benchmark, Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("benchmark", benchmark);
            w.WriteString("timestamp", DateTimeOffset.UtcNow.ToString("O"));
            w.WriteNumber("cores", Environment.ProcessorCount);
            body(w);
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
