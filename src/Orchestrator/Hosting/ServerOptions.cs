using Microsoft.Extensions.Logging;
using Orchestrator.Reboot;

namespace Orchestrator.Hosting;

/// <summary>Settings resolved from flags and environment variables (flags win).</summary>
internal sealed record ServerOptions
{
    public required string DataDirectory { get; init; }
    public bool RateLimitsEnabled { get; init; } = true;
    public LogLevel LogLevel { get; init; } = LogLevel.Information;
    public string? LogFile { get; init; }

    /// <summary>Characters a task tool's answer may have (<c>--answer-budget</c>); longer answers are cut, saying where the rest is.</summary>
    public int AnswerBudget { get; init; } = Orchestration.Answers.AnswerBudget.Default;

    /// <summary>Tool groups to serve (<c>--tools</c>); null serves them all.</summary>
    public IReadOnlySet<string>? ToolGroups { get; init; }

    /// <summary>The user's flags, verbatim, for the next image of an in-place restart (the handover's own flags excluded).</summary>
    public IReadOnlyList<string> RestartArguments { get; init; } = [];

    /// <summary>Set in an image started by an in-place restart: what the previous image handed over. Null at a cold start.</summary>
    public Handover? Handover { get; init; }

    /// <summary>Streamable HTTP settings; null serves stdio.</summary>
    public Http.HttpOptions? Http { get; init; }

    public string DatabasePath => Path.Combine(DataDirectory, "orchestrator.db");
    public string SnapshotDirectory => Path.Combine(DataDirectory, "snapshots");
}
