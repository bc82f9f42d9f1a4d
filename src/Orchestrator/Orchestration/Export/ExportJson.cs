using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Orchestrator.Orchestration.Export;

/// <summary>
/// The export file's JSON, generated at compile time (no reflection; trim and AOT safe): snake_case names, indented,
/// nulls left out. Reading insists on the required fields and on non-null values where the format has no null, and
/// skips fields it does not know (a later build's optional additions).
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true, AllowTrailingCommas = false, ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(ExportDocument))]
internal sealed partial class ExportJson : JsonSerializerContext
{
    /// <summary>The document's generated contract; the only name of the generator's output the other sources use.</summary>
    public static JsonTypeInfo<ExportDocument> Document => Default.ExportDocument;
}
