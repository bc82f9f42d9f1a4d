using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using ModelContextProtocol.Protocol;
using Orchestrator.Orchestration.Mcp;
using Orchestrator.Tooling;

namespace Orchestrator.Transport;

/// <summary>
/// Answers the hot requests (<c>tools/call</c> of this server's tools, <c>tools/list</c>, <c>ping</c>) straight from
/// the <see cref="ToolTable"/> with <see cref="Utf8JsonWriter"/>, without the SDK's server object: after an in-place
/// restart they are served before that object exists. Resources, prompts and completions too, through the
/// <see cref="McpSurface"/> both transports share. Everything else (initialize, logging, unknown methods…)
/// goes to the SDK.
/// </summary>
internal sealed class FastPath
{
    private readonly ToolTable _tools;
    private readonly IToolCaller _caller;
    private readonly McpSurface _surface;
    private readonly ResourceSubscriptions? _subscriptions;
    private readonly byte[] _toolsList;
    private readonly ConcurrentDictionary<RequestId, CancellationTokenSource> _running = new();

    /// <param name="subscriptions">The session's resource subscriptions (stdio); null: <c>resources/subscribe</c> is not served here.</param>
    public FastPath(ToolTable tools, IToolCaller caller, McpSurface surface, ResourceSubscriptions? subscriptions = null)
    {
        _tools = tools;
        _caller = caller;
        _surface = surface;
        _subscriptions = subscriptions;
        _toolsList = ToolsList(tools.Served);
    }

    /// <summary>Set once by the transport: where answers go (it drops answers to requests already answered elsewhere).</summary>
    public Action<RequestId, byte[]?> Answer { get; set; } = (_, _) => { };

    /// <summary>
    /// Set once by the transport: asked right before a call's handler runs; false when the call was already answered
    /// as not started (a non-graceful restart), and then the handler does not run.
    /// </summary>
    public Func<RequestId, bool> Starting { get; set; } = _ => true;

    /// <summary>Whether <see cref="TryDispatch"/> would serve this request (and so report its start through <see cref="Starting"/>).</summary>
    public bool Serves(IncomingFrame request) => request.Method switch
    {
        "ping" or "tools/list" => true,
        "tools/call" => request.ToolName is { } name && _tools.TryFind(name, out _),
        "resources/subscribe" or "resources/unsubscribe" => _subscriptions is not null,
        _ => McpSurface.Handles(request.Method),
    };

    public bool TryDispatch(IncomingFrame request)
    {
        var id = request.RequestId!.Value;
        var rawId = Encoding.UTF8.GetBytes(request.RawId!.Value.GetRawText());
        switch (request.Method)
        {
            case "ping":
                Answer(id, ResultFrame(rawId, "{}"u8));
                return true;
            case "tools/list":
                Answer(id, ResultFrame(rawId, _toolsList));
                return true;
            case "tools/call" when request.ToolName is { } name && _tools.TryFind(name, out var endpoint):
                _ = Task.Run(() => CallAsync(endpoint, request, id, rawId));
                return true;
            case "resources/subscribe" or "resources/unsubscribe" when _subscriptions is not null:
                _ = Task.Run(() => SurfaceAsync(request.Method!, request, id, rawId));
                return true;
            case var method when McpSurface.Handles(method):
                _ = Task.Run(() => SurfaceAsync(method!, request, id, rawId));
                return true;
            default:
                return false;
        }
    }

    /// <summary>A client's <c>notifications/cancelled</c> for a call the fast path runs.</summary>
    public void Cancel(RequestId id)
    {
        if (_running.TryGetValue(id, out var cancellation)) cancellation.Cancel();
    }

    private async Task CallAsync(ToolEndpoint endpoint, IncomingFrame request, RequestId id, byte[] rawId)
    {
        if (!Starting(id))
        {
            // Answered already, as not started: it never runs. The empty answer only clears the transport's record of it.
            Answer(id, null);
            return;
        }
        using var cancellation = new CancellationTokenSource();
        _running[id] = cancellation;
        try
        {
            var parameters = request.Params!.Value;
            var context = new ToolCallContext(id, ProgressTokenOf(parameters), _caller);
            ToolCallOutcome outcome;
            if (ArgumentsProblem(parameters, out var arguments) is { } problem)
            {
                var errors = new ArgumentErrors();
                errors.Add("arguments", problem);
                outcome = new(null, errors.ToToolError());
            }
            else
            {
                outcome = await _tools.CallAsync(endpoint, arguments, context, cancellation.Token).ConfigureAwait(false);
            }
            Answer(id, outcome.Error is { } error
                ? ToolResultFrames.Failure(rawId, error, DateTimeOffset.UtcNow)
                : ToolResultFrames.Success(rawId, outcome.Result!, _tools.Links));
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // MCP: a cancelled request gets no answer.
            Answer(id, null);
        }
        catch (Exception ex)
        {
            Answer(id, ErrorFrame(rawId, JsonRpcErrorCodes.InternalError, $"{endpoint.Name} failed: {ex.Message}"));
        }
        finally
        {
            _running.TryRemove(id, out _);
        }
    }

    private async Task SurfaceAsync(string method, IncomingFrame request, RequestId id, byte[] rawId)
    {
        if (!Starting(id))
        {
            Answer(id, null);
            return;
        }
        try
        {
            var answer = method switch
            {
                "resources/subscribe" => await _subscriptions!.SubscribeAsync(request.Params).ConfigureAwait(false),
                "resources/unsubscribe" => _subscriptions!.Unsubscribe(request.Params),
                _ => await _surface.HandleAsync(method, request.Params, CancellationToken.None).ConfigureAwait(false),
            };
            Answer(id, answer.Result is { } result ? ResultFrame(rawId, result) : ErrorFrame(rawId, answer.Code, answer.Message!, answer.Uri));
        }
        catch (Exception ex)
        {
            Answer(id, ErrorFrame(rawId, JsonRpcErrorCodes.InternalError, $"{method} failed: {ex.Message}"));
        }
    }

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

    private static ProgressToken? ProgressTokenOf(JsonElement parameters)
    {
        if (!parameters.TryGetProperty("_meta"u8, out var meta) || meta.ValueKind != JsonValueKind.Object ||
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

    private static byte[] ErrorFrame(byte[] rawId, int code, string message, string? uri = null) => ToolResults.Serialize(w =>
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
}
