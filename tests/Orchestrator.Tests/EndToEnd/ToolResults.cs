using System.Text.Json.Nodes;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>Reads tool answers the way a client does: <c>structuredContent</c> for results, the text block for errors.</summary>
internal static class ToolResults
{
    public static JsonObject Structured(this JsonObject callResult)
    {
        if (callResult["isError"]?.GetValue<bool>() == true)
            throw new InvalidOperationException("tool returned an error: " + callResult.ToJsonString());
        var structured = callResult["structuredContent"]!.AsObject();
        var text = JsonNode.Parse(callResult["content"]![0]!["text"]!.GetValue<string>())!;
        if (!JsonNode.DeepEquals(structured, text))
            throw new InvalidOperationException("text block and structuredContent differ: " + callResult.ToJsonString());
        return structured;
    }

    /// <summary>The seed-format error object of a failed tool call (<c>isError: true</c>).</summary>
    public static JsonObject Error(this JsonObject callResult)
    {
        if (callResult["isError"]?.GetValue<bool>() != true)
            throw new InvalidOperationException("expected a tool error, got: " + callResult.ToJsonString());
        return JsonNode.Parse(callResult["content"]![0]!["text"]!.GetValue<string>())!.AsObject();
    }

    /// <summary>The tool result of a raw JSON-RPC answer (<c>result</c>), failing on a protocol error.</summary>
    public static JsonObject Result(this JsonObject answer) =>
        answer["result"]?.AsObject() ?? throw new InvalidOperationException("expected a result, got: " + answer.ToJsonString());
}
