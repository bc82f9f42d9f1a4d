using System.Globalization;
using System.Text;
using Orchestrator.Orchestration.Contract;
using Orchestrator.Storage;

namespace Orchestrator.Orchestration.Export;

/// <summary>An export in its chosen form, and the private file it goes to (0600 when this process creates it).</summary>
internal static class ExportWriter
{
    public static byte[] Render(ExportDocument export, ExportFormat format) =>
        format == ExportFormat.Json ? ExportFile.ToJson(export) : Encoding.UTF8.GetBytes(MarkdownReport.Render(export));

    public static void Write(string path, byte[] bytes)
    {
        using var file = PrivateFiles.CreateFile(path);
        file.Write(bytes);
        file.Flush(flushToDisk: true);
    }

    /// <summary>E.g. <c>export-20261201T054701123Z.json</c>, or <c>export-sess_…-20261201T054701123Z.md</c> for one session.</summary>
    public static string FileName(DateTimeOffset at, string? sessionId, ExportFormat format) =>
        "export-" + (sessionId is null ? "" : sessionId + "-") + at.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture)
        + (format == ExportFormat.Json ? ".json" : ".md");
}
