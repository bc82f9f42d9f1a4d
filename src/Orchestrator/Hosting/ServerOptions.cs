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

    /// <summary>Where the HTTP mode's bearer token comes from; null without one. Read when the server starts.</summary>
    public Http.TokenSource? Token { get; init; }

    /// <summary>How long calls in flight may finish once SIGTERM or SIGINT asked the server to end (<c>--shutdown-timeout</c>).</summary>
    public TimeSpan ShutdownTimeout { get; init; } = ShutdownRequest.DefaultBound;

    /// <summary>Streamable HTTP settings; null serves stdio.</summary>
    public Http.HttpOptions? Http { get; init; }

    /// <summary>Whether a non-loopback address may be bound (<c>--http-allow-remote</c>): by <c>--http</c> and by <c>board --listen</c>.</summary>
    public bool AllowRemote { get; init; }

    /// <summary>What a stdio client may make the server hold (line size, answers owed).</summary>
    public Transport.StdioLimits Stdio { get; init; } = new();

    /// <summary>Invalid arguments listed in one error answer (<c>--max-errors-listed</c>); the rest are counted.</summary>
    public int MaxErrorsListed { get; init; } = Tooling.ArgumentErrors.DefaultMaxListed;

    public string DatabasePath => Path.Combine(DataDirectory, "orchestrator.db");
    public string SnapshotDirectory => Path.Combine(DataDirectory, "snapshots");
}
