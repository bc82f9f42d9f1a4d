using System.Text;
using System.Text.Json;
using ModelContextProtocol.Protocol;
using Orchestrator.Tooling;

namespace Orchestrator.Orchestration.Mcp;

/// <summary>
/// Answers the MCP requests this server serves without the SDK's server object: <c>ping</c>, <c>tools/list</c>,
/// <c>tools/call</c> of the <see cref="ToolTable"/>'s tools, and the <see cref="McpSurface"/>'s resources, prompts and
/// completions, each as a whole JSON-RPC answer frame written with <see cref="Utf8JsonWriter"/>. Both transports serve
/// from it: stdio's fast path for every such frame, and HTTP's front for the requests that reach a new image before its
/// ASP.NET Core host has started. What is not here (initialize, logging, subscriptions, unknown methods) goes to the SDK.
/// </summary>
internal sealed class McpDispatch
{
    private readonly McpSurface _surface;
    private readonly byte[] _toolsList;

    public McpDispatch(ToolTable tools, McpSurface surface)
    {
        Tools = tools;
        _surface = surface;
        _toolsList = ToolsList(tools.Served);
    }

    public ToolTable Tools { get; }

    /// <summary>Whether <paramref name="request"/> is one this table answers.</summary>
    public bool Serves(IncomingFrame request) => request.Method switch
    {
        "ping" or "tools/list" => true,
        "tools/call" => request.ToolName is { } name && Tools.TryFind(name, out _),
        var method => McpSurface.Handles(method),
    };

    /// <summary>The answer to a request that needs no work (<c>ping</c>, <c>tools/list</c>); null for any other.</summary>
    public byte[]? AnswerAtOnce(IncomingFrame request) => request.Method switch
    {
        "ping" => ResultFrame(RawId(request), "{}"u8),
        "tools/list" => ResultFrame(RawId(request), _toolsList),
        _ => null,
    };

    /// <summary>
    /// The answer to a request <see cref="Serves"/> accepts; null when a tool call was cancelled (MCP: a cancelled request
    /// gets no answer). A tool that fails unexpectedly is answered as an internal error, never thrown.
    /// </summary>
    public async Task<byte[]?> AnswerAsync(IncomingFrame request, IToolCaller caller, CancellationToken cancellation)
    {
        if (AnswerAtOnce(request) is { } answer) return answer;
        var rawId = RawId(request);
        if (request.Method == "tools/call" && request.ToolName is { } name && Tools.TryFind(name, out var endpoint))
            return await CallAsync(endpoint, request, rawId, caller, cancellation).ConfigureAwait(false);
        return await SurfaceAsync(request.Method!, request.Params, rawId).ConfigureAwait(false);
    }

    private async Task<byte[]?> CallAsync(ToolEndpoint endpoint, IncomingFrame request, byte[] rawId, IToolCaller caller, CancellationToken cancellation)
    {
        try
        {
            var parameters = request.Params!.Value;
            var context = new ToolCallContext(request.RequestId!.Value, ProgressTokenOf(parameters), caller);
            ToolCallOutcome outcome;
            if (ArgumentsProblem(parameters, out var arguments) is { } problem)
            {
                var errors = new ArgumentErrors();
                errors.Add("arguments", problem);
                outcome = new(null, errors.ToToolError());
            }
            else
            {
                outcome = await Tools.CallAsync(endpoint, arguments, context, cancellation).ConfigureAwait(false);
            }
            return outcome.Error is { } error
                ? ToolResultFrames.Failure(rawId, error, DateTimeOffset.UtcNow)
                : ToolResultFrames.Success(rawId, outcome.Result!, Tools.Links);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception ex)
        {
            return ErrorFrame(rawId, JsonRpcErrorCodes.InternalError, $"{endpoint.Name} failed: {ex.Message}");
        }
    }

    /// <summary>
    /// A method of the <see cref="McpSurface"/> (resources, prompts, completions): short reads, answered even when the client
    /// cancels meanwhile, as the fast path always did (a cancellation would otherwise surface as an internal error).
    /// </summary>
    private async Task<byte[]> SurfaceAsync(string method, JsonElement? parameters, byte[] rawId)
    {
        try
        {
            return Frame(rawId, await _surface.HandleAsync(method, parameters, CancellationToken.None).ConfigureAwait(false));
        }
        catch (Exception ex)
        {
            return ErrorFrame(rawId, JsonRpcErrorCodes.InternalError, $"{method} failed: {ex.Message}");
        }
    }

    /// <summary>An <see cref="McpAnswer"/> as the JSON-RPC frame answering the request whose id is <paramref name="rawId"/>.</summary>
    public static byte[] Frame(byte[] rawId, McpAnswer answer) =>
        answer.Result is { } result ? ResultFrame(rawId, result) : ErrorFrame(rawId, answer.Code, answer.Message!, answer.Uri);

    /// <summary>The request's id exactly as the client wrote it (a number or a string), for the answer to repeat.</summary>
    public static byte[] RawId(IncomingFrame request) => Encoding.UTF8.GetBytes(request.RawId!.Value.GetRawText());

    public static byte[] ErrorFrame(byte[] rawId, int code, string message, string? uri = null) => ToolResults.Serialize(w =>
    {
        w.WriteStartObject();
        w.WriteString("jsonrpc"u8, "2.0"u8);
        w.WritePropertyName("id"u8);
        w.WriteRawValue(rawId, skipInputValidation: true);
        w.WriteStartObject("error"u8);
        w.WriteNumber("code"u8, code);
        w.WriteString("message"u8, message);
        if (uri is not null)
        {
            w.WriteStartObject("data"u8);
            w.WriteString("uri"u8, uri);
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteEndObject();
    });

    /// <summary>Reads the call's arguments (absent or null: none); returns why they are unusable, or null.</summary>
    private static string? ArgumentsProblem(JsonElement parameters, out Dictionary<string, JsonElement>? arguments)
    {
        arguments = null;
        if (!parameters.TryGetProperty("arguments"u8, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.Object) return "expected an object";
        var read = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            // Like a string value, a property name escaped as an unpaired surrogate is valid JSON that does not decode.
            if (!JsonStrings.TryGetName(property, out var name)) return "has a property name that is not valid Unicode (an unpaired surrogate escape)";
            read[name] = property.Value;
        }
        arguments = read;
        return null;
    }

    /// <summary>The call's <c>_meta.progressToken</c>, or null.</summary>
    public static ProgressToken? ProgressTokenOf(JsonElement parameters)
    {
        if (parameters.ValueKind != JsonValueKind.Object || !parameters.TryGetProperty("_meta"u8, out var meta) || meta.ValueKind != JsonValueKind.Object ||
            !meta.TryGetProperty("progressToken"u8, out var token)) return null;
        if (JsonStrings.TryGet(token, out var text)) return new ProgressToken(text);
        return token.ValueKind == JsonValueKind.Number && token.TryGetInt64(out var number) ? new ProgressToken(number) : null;
    }

    private static byte[] ToolsList(IEnumerable<ToolInfo> tools)
    {
        return ToolResults.Serialize(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("tools"u8);
            foreach (var tool in tools)
            {
                w.WriteStartObject();
                w.WriteString("name"u8, tool.Name);
                w.WriteString("description"u8, tool.Description);
                w.WritePropertyName("inputSchema"u8);
                w.WriteRawValue(tool.InputSchema, skipInputValidation: true);
                w.WritePropertyName("outputSchema"u8);
                w.WriteRawValue(tool.OutputSchema, skipInputValidation: true);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            CacheHints.WriteFixedPerBinary(w);
            w.WriteEndObject();
        });
    }

    private static byte[] ResultFrame(byte[] rawId, ReadOnlySpan<byte> result)
    {
        var prefix = "{\"jsonrpc\":\"2.0\",\"id\":"u8;
        var middle = ",\"result\":"u8;
        var frame = new byte[prefix.Length + rawId.Length + middle.Length + result.Length + 1];
        var span = frame.AsSpan();
        prefix.CopyTo(span);
        rawId.CopyTo(span[prefix.Length..]);
        middle.CopyTo(span[(prefix.Length + rawId.Length)..]);
        result.CopyTo(span[(prefix.Length + rawId.Length + middle.Length)..]);
        span[^1] = (byte)'}';
        return frame;
    }
}
