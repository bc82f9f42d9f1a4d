using System.Text.Json;

namespace Orchestrator.Orchestration.Export;

/// <summary>The export document to and from its JSON bytes (<see cref="ExportJson"/>).</summary>
internal static class ExportFile
{
    public static byte[] ToJson(ExportDocument export) => JsonSerializer.SerializeToUtf8Bytes(export, ExportJson.Document);

    /// <summary>
    /// Reads an export, refusing (<see cref="ImportRefusedException"/>) what is not JSON, not an orchestrator export, of
    /// a version this build does not read, or not of the format's shape (the field named). The format and version are
    /// checked before the shape, so that a later version is refused as such rather than as malformed.
    /// </summary>
    public static ExportDocument Parse(byte[] json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new ImportRefusedException($"not an orchestrator export: the document is a JSON {Kind(root)}, not an object", []);
            if (!root.TryGetProperty("format"u8, out var format) || format.ValueKind != JsonValueKind.String || format.GetString() != ExportDocument.FormatName)
                throw new ImportRefusedException($"not an orchestrator export: \"format\" is {Shown(root, "format")}, expected \"{ExportDocument.FormatName}\"", []);
            if (!root.TryGetProperty("version"u8, out var version) || version.ValueKind != JsonValueKind.Number
                || !version.TryGetInt32(out var number) || number != ExportDocument.CurrentVersion)
                throw new ImportRefusedException($"unknown export version: \"version\" is {Shown(root, "version")}; this build reads version {ExportDocument.CurrentVersion}", []);
        }
        catch (JsonException ex)
        {
            throw new ImportRefusedException($"not valid JSON: {ex.Message}", []);
        }
        try
        {
            return JsonSerializer.Deserialize(json, ExportJson.Document)
                ?? throw new ImportRefusedException("not an orchestrator export: the document is null", []);
        }
        catch (JsonException ex)
        {
            throw new ImportRefusedException($"malformed export at {ex.Path ?? "$"}: {ex.Message}", []);
        }
    }

    private static string Kind(JsonElement element) => element.ValueKind.ToString().ToLowerInvariant();

    private static string Shown(JsonElement root, string name) =>
        !root.TryGetProperty(name, out var value) ? "missing" : value.GetRawText() is { Length: <= 60 } raw ? raw : value.GetRawText()[..57] + "...";
}
