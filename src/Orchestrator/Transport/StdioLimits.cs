namespace Orchestrator.Transport;

/// <summary>What one stdio client may make this server hold (<c>--max-line-bytes</c>, <c>--max-pending-answers</c>).</summary>
internal sealed record StdioLimits
{
    public const int DefaultMaxPendingAnswers = 1024;

    /// <summary>The longest line (JSON-RPC message) read from stdin; a longer one is answered with an error and skipped.</summary>
    public int MaxLineBytes { get; init; } = StdinFrameReader.DefaultMaxFrameBytes;

    /// <summary>
    /// Requests read from stdin and not yet answered (running, or answered but not yet written to stdout, or held by a
    /// restart); at this many, stdin is not read until answers have been written.
    /// </summary>
    public int MaxPendingAnswers { get; init; } = DefaultMaxPendingAnswers;
}
