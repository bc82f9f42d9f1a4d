using System.Text.Json;
using ModelContextProtocol.Protocol;

namespace Orchestrator.Orchestration.Mcp;

/// <summary>
/// One incoming JSON-RPC frame, read with <see cref="JsonDocument"/> only: enough to route it (gate, fast path,
/// SDK) without touching the SDK's serializer, whose first use costs milliseconds on the restart path.
/// </summary>
internal sealed class IncomingFrame
{
    private IncomingFrame(string? method, JsonElement? id, JsonElement? parameters)
    {
        Method = method;
        RawId = id;
        Params = parameters;
        RequestId = id is { } raw ? ToRequestId(raw) : null;
        ToolName = method == "tools/call" && parameters is { ValueKind: JsonValueKind.Object } p &&
                   p.TryGetProperty("name"u8, out var name) && JsonStrings.TryGet(name, out var toolName)
            ? toolName
            : null;
    }

    public string? Method { get; }
    public JsonElement? RawId { get; }
    public RequestId? RequestId { get; }
    public JsonElement? Params { get; }
    public string? ToolName { get; }

    public bool IsRequest => Method is not null && RequestId is not null;
    public FrameSummary Summary => new(Method, ToolName, IsRequest);

    /// <summary>Parses a frame; on failure returns null with the JSON-RPC error code, message and (if readable) the id to answer.</summary>
    public static IncomingFrame? Parse(ReadOnlySpan<byte> frame, out (int Code, string Message, RequestId Id) problem)
    {
        problem = default;
        // JSON text is UTF-8 (RFC 8259 §8.1). The parser checks the structure, not the bytes inside strings: without this
        // check invalid UTF-8 in a member the server ignores (a ping's params) was answered as if it were valid.
        if (!System.Text.Unicode.Utf8.IsValid(frame))
        {
            problem = (JsonRpcErrorCodes.ParseError, "Parse error: the message is not valid UTF-8", default);
            return null;
        }
        JsonElement root;
        try
        {
            var reader = new Utf8JsonReader(frame);
            root = JsonElement.ParseValue(ref reader);
            if (reader.Read()) throw new JsonException("trailing data after the message");
        }
        catch (JsonException ex)
        {
            problem = (JsonRpcErrorCodes.ParseError, "Parse error: " + ex.Message, default);
            return null;
        }
        if (root.ValueKind != JsonValueKind.Object)
        {
            problem = (JsonRpcErrorCodes.InvalidRequest, "Invalid Request: a message must be a JSON object", default);
            return null;
        }
        JsonElement? id = root.TryGetProperty("id"u8, out var idElement) && idElement.ValueKind != JsonValueKind.Null ? idElement : null;
        var answerId = id is { } validId && IsValidId(validId) ? ToRequestId(validId) : default;
        if (!root.TryGetProperty("jsonrpc"u8, out var version) || version.ValueKind != JsonValueKind.String || !version.ValueEquals("2.0"u8))
        {
            problem = (JsonRpcErrorCodes.InvalidRequest, "Invalid Request: \"jsonrpc\" must be \"2.0\"", answerId);
            return null;
        }
        if (id is { } badId && !IsValidId(badId))
        {
            problem = (JsonRpcErrorCodes.InvalidRequest, "Invalid Request: \"id\" must be a string (valid Unicode) or an integer", default);
            return null;
        }
        string? method = null;
        if (root.TryGetProperty("method"u8, out var methodElement))
        {
            if (!JsonStrings.TryGet(methodElement, out var methodName))
            {
                problem = (JsonRpcErrorCodes.InvalidRequest, "Invalid Request: \"method\" must be a string (valid Unicode)", answerId);
                return null;
            }
            method = methodName;
        }
        else if (!root.TryGetProperty("result"u8, out _) && !root.TryGetProperty("error"u8, out _))
        {
            problem = (JsonRpcErrorCodes.InvalidRequest, "Invalid Request: neither a request, a notification nor a response", answerId);
            return null;
        }
        JsonElement? parameters = root.TryGetProperty("params"u8, out var p) ? p : null;
        return new IncomingFrame(method, id, parameters);
    }

    private static bool IsValidId(JsonElement id) =>
        JsonStrings.TryGet(id, out _) || (id.ValueKind == JsonValueKind.Number && id.TryGetInt64(out _));

    private static RequestId ToRequestId(JsonElement id) =>
        id.ValueKind == JsonValueKind.String ? new RequestId(id.GetString()!) : new RequestId(id.GetInt64());
}
