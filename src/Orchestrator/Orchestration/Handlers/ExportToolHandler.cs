using System.Text;
using Orchestrator.Orchestration.Contract;
using Orchestrator.Orchestration.Export;
using Orchestrator.Storage;
using Orchestrator.Tooling;

namespace Orchestrator.Orchestration.Handlers;

/// <summary>
/// <c>orchestrator_export</c>: an export can be far larger than any answer, so it always goes to a private file in the
/// data directory's <c>exports/</c> (named by time, never overwritten in practice), and the answer gives its path, size
/// and counts, with the content itself only when it fits the answer budget.
/// </summary>
internal sealed class ExportToolHandler(TaskOrchestrator? tasks, string? storeError, string exportDirectory, string serverVersion)
    : IToolHandler<ExportArgs, ExportResult>
{
    private const string Phase = "export";

    public ValueTask<ToolOutcome<ExportResult>> HandleAsync(ExportArgs args, ToolCallContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Handle(args));

    private ToolOutcome<ExportResult> Handle(ExportArgs args)
    {
        if (tasks is null) return new ToolError(ErrorCode.InitializationFailed, $"Task store unavailable: {storeError ?? "not opened"}", Phase);
        var (export, error) = tasks.Export(args.SessionId, serverVersion);
        if (error is not null) return error;
        var bytes = ExportWriter.Render(export!, args.Format);
        var path = Path.Combine(exportDirectory, ExportWriter.FileName(export!.ExportedAt ?? DateTimeOffset.UtcNow, args.SessionId, args.Format));
        try
        {
            PrivateFiles.CreateDirectory(exportDirectory);
            ExportWriter.Write(path, bytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new ToolError(ErrorCode.ProcessFailed, $"Could not write the export to {path}: {ex.Message}", Phase);
        }
        var answer = new ExportResult
        {
            Format = args.Format, Path = path, Bytes = bytes.Length, Sessions = export.Sessions.Count, Tasks = export.Tasks.Count,
            Subtasks = export.Subtasks.Count, Artifacts = export.Artifacts.Count, History = export.History.Count,
        };
        if (bytes.Length >= tasks.Budget) return answer;
        var whole = answer with { Content = Encoding.UTF8.GetString(bytes) };
        return Answers.AnswerFitter.Size(whole) <= tasks.Budget ? whole : answer;
    }
}
