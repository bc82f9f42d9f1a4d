using System.Buffers;
using System.Globalization;
using System.Text.Json;
using ModelContextProtocol.Protocol;

namespace Orchestrator.Tooling;

/// <summary>
/// JSON for request ids and progress tokens (a string or an integer), written and read without the SDK's
/// serializer options, whose first use costs about a millisecond on the restart path.
/// </summary>
internal static class JsonRpcIds
{
    public static string ToJson(RequestId id) => ToJson(id.Id);

    public static string ToJson(ProgressToken token) => ToJson(token.Token);

    public static void Write(Utf8JsonWriter writer, ProgressToken token)
    {
        if (token.Token is long number) writer.WriteNumberValue(number);
        else writer.WriteStringValue(token.Token?.ToString());
    }

    private static string ToJson(object? value)
    {
        if (value is long number) return number.ToString(CultureInfo.InvariantCulture);
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer)) writer.WriteStringValue(value?.ToString());
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
