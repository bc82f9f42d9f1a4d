using System.Text.Json;

namespace Orchestrator.Tooling;

/// <summary>
/// A failed tool call in the seed's error format: <c>success:false</c>, <c>error</c>, <c>phase</c>,
/// <c>timestamp</c> and an <c>error_code</c>; a rate-limit refusal carries <c>retry_after</c> instead of a code.
/// </summary>
public sealed record ToolError(ErrorCode? Code, string Message, string Phase)
{
    public int? RetryAfterSeconds { get; init; }
    public IReadOnlyList<string> Details { get; init; } = [];

    public static ToolError RateLimited(int retryAfterSeconds) =>
        new(null, "Rate limit exceeded", "rate_limited") { RetryAfterSeconds = retryAfterSeconds };

    public void WriteJson(Utf8JsonWriter writer, DateTimeOffset now)
    {
        writer.WriteStartObject();
        writer.WriteBoolean("success"u8, false);
        writer.WriteString("error"u8, Message);
        if (Code is { } code) writer.WriteString("error_code"u8, code.ToWire());
        writer.WriteString("phase"u8, Phase);
        if (RetryAfterSeconds is { } retry) writer.WriteNumber("retry_after"u8, retry);
        writer.WriteString("timestamp"u8, JsonResultFormat.FormatDateTime(now));
        if (Details.Count > 0)
        {
            writer.WriteStartArray("errors"u8);
            foreach (var detail in Details) writer.WriteStringValue(detail);
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
    }
}
