using System.Buffers;
using System.Text;
using System.Text.Json;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Orchestrator.Tooling;

/// <summary>Runs a tool for the MCP SDK (generated <c>McpServerTool</c> classes) and shapes its outcome as a <c>CallToolResult</c>.</summary>
public static class ToolInvoker
{
    public delegate bool ArgumentParser<TArgs>(IReadOnlyDictionary<string, JsonElement>? arguments, out TArgs? value, ArgumentErrors errors);

    // Tool results travel inside JSON strings, never inside HTML: escape only what JSON requires, so the text block stays readable.
    internal static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async ValueTask<CallToolResult> InvokeAsync<TArgs, TResult>(
        RequestContext<CallToolRequestParams> request,
        ArgumentParser<TArgs> parse,
        IToolHandler<TArgs, TResult> handler,
        CancellationToken cancellationToken)
        where TResult : IJsonWritable
    {
        var endpoint = new ToolEndpoint<TArgs, TResult>(request.Params?.Name ?? "", parse, handler);
        var arguments = request.Params?.Arguments as IReadOnlyDictionary<string, JsonElement>;
        var outcome = await endpoint.InvokeAsync(arguments, ToolCallContext.From(request), cancellationToken).ConfigureAwait(false);
        return outcome.Error is { } error ? ToResult(error) : ToResult(outcome.Result!);
    }

    /// <summary>A success: the result as <c>structuredContent</c> and the same JSON as the text block.</summary>
    public static CallToolResult ToResult(IJsonWritable result)
    {
        var json = Serialize(result.WriteJson);
        return new CallToolResult
        {
            Content = [new TextContentBlock { Text = Encoding.UTF8.GetString(json) }],
            StructuredContent = JsonElement.Parse(json),
            IsError = false,
        };
    }

    /// <summary>A failure in the seed's error format, flagged <c>isError</c>; it carries no structuredContent since it does not follow the outputSchema.</summary>
    public static CallToolResult ToResult(ToolError error)
    {
        var now = DateTimeOffset.UtcNow;
        var json = Serialize(w => error.WriteJson(w, now));
        return new CallToolResult
        {
            Content = [new TextContentBlock { Text = Encoding.UTF8.GetString(json) }],
            IsError = true,
        };
    }

    public static byte[] Serialize(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions)) write(writer);
        return buffer.WrittenSpan.ToArray();
    }
}
