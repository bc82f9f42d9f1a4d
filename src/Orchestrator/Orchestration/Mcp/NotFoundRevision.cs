using System.Text.Json;

namespace Orchestrator.Orchestration.Mcp;

/// <summary>
/// The error code of "this URI names nothing", by the protocol revision a request is made under. Through 2025-11-25 the
/// spec recommends <c>-32002</c>; 2026-07-28 standardizes on <c>-32602</c> invalid params (SEP-2164: <c>-32002</c> lies
/// in JSON-RPC's implementation-defined range), the URI still in <c>data.uri</c>. A 2026-07-28 request names its revision
/// in every request's <c>_meta</c> (there is no initialize), so the request itself says which code it expects.
/// </summary>
internal static class NotFoundRevision
{
    private const string FirstInvalidParamsRevision = "2026-07-28";

    public static McpAnswer For(McpAnswer answer, JsonElement parameters) =>
        answer.Code == McpAnswer.ResourceNotFound && UsesInvalidParams(parameters) ? answer with { Code = McpAnswer.InvalidParams } : answer;

    private static bool UsesInvalidParams(JsonElement parameters) =>
        parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty("_meta"u8, out var meta) &&
        meta.ValueKind == JsonValueKind.Object && meta.TryGetProperty("io.modelcontextprotocol/protocolVersion"u8, out var version) &&
        version.ValueKind == JsonValueKind.String &&
        // Revisions are dates (yyyy-MM-dd): ordinal order is chronological order.
        string.CompareOrdinal(version.GetString(), FirstInvalidParamsRevision) >= 0;
}
