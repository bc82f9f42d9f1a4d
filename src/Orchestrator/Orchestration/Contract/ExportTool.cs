using Orchestrator.Tooling;

namespace Orchestrator.Orchestration.Contract;

/// <summary>The two forms of an export.</summary>
public enum ExportFormat
{
    /// <summary>Lossless and versioned: what <c>orchestrator import</c> reads.</summary>
    Json,
    /// <summary>A readable report: a table per task, outcomes, artifacts summarized.</summary>
    Markdown,
}

[McpTool("orchestrator_export",
    Description = "Export the task store (or one session): JSON is lossless and versioned (sessions, tasks, subtasks, dependencies, artifacts, history; what orchestrator import restores), Markdown a readable report. Written to a private file (0600) in the server's data directory; the answer gives its path and size, and its content when that fits the answer budget",
    Result = typeof(ExportResult), Group = "tasks")]
public sealed partial record ExportArgs
{
    [Describe("Only this session's tasks")]
    public string? SessionId { get; init; }

    public ExportFormat Format { get; init; } = ExportFormat.Json;
}

public sealed partial record ExportResult
{
    public required ExportFormat Format { get; init; }

    [Describe("The file written (private: 0600), in the server's data directory")]
    public required string Path { get; init; }

    [Describe("Its size in bytes")]
    public required long Bytes { get; init; }

    public required int Sessions { get; init; }
    public required int Tasks { get; init; }
    public required int Subtasks { get; init; }
    public required int Artifacts { get; init; }

    [Describe("Recorded changes (history rows)")]
    public required int History { get; init; }

    [Describe("The export itself, when it fits the answer budget; else read it from path")]
    public string? Content { get; init; }
}
