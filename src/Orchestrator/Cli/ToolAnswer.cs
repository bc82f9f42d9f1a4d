using System.Text.Json;

namespace Orchestrator.Cli;

/// <summary>Reads a tools/call answer: the tool's structured result, or its error as the seed's format gives it.</summary>
internal static class ToolAnswer
{
    public static JsonElement Result(string tool, string answer)
    {
        using var document = JsonDocument.Parse(answer);
        var root = document.RootElement;
        if (root.TryGetProperty("error"u8, out var rpcError))
            throw new DemoStepFailed($"{tool}: JSON-RPC error {rpcError.GetRawText()}");
        var result = root.GetProperty("result"u8);
        var failed = result.TryGetProperty("isError"u8, out var isError) && isError.ValueKind == JsonValueKind.True;
        if (!failed && result.TryGetProperty("structuredContent"u8, out var structured)) return structured.Clone();
        var text = result.GetProperty("content"u8)[0].GetProperty("text"u8).GetString() ?? "";
        if (!failed) return JsonDocument.Parse(text).RootElement.Clone();
        using var error = JsonDocument.Parse(text);
        var code = error.RootElement.TryGetProperty("error_code"u8, out var c) ? c.GetString() : null;
        var message = error.RootElement.TryGetProperty("error"u8, out var m) ? m.GetString() : text;
        throw new DemoStepFailed($"{tool}: {code}: {message}");
    }

    /// <summary>
    /// The JSON-RPC answer inside a Streamable HTTP response body: the body itself, or in an event stream the
    /// <c>data:</c> line that answers (has a result or an error), notifications and priming events (empty data) skipped.
    /// </summary>
    public static string FromHttpBody(string body)
    {
        if (body.TrimStart().StartsWith('{')) return body;
        foreach (var line in body.Split('\n'))
        {
            if (!line.StartsWith("data:", StringComparison.Ordinal)) continue;
            var data = line[5..].Trim();
            if (data.Length == 0) continue;
            using var message = JsonDocument.Parse(data);
            if (message.RootElement.TryGetProperty("result"u8, out _) || message.RootElement.TryGetProperty("error"u8, out _)) return data;
        }
        throw new DemoStepFailed($"no answer in the HTTP response: {body}");
    }
}
