namespace Orchestrator.Tooling;

/// <summary>Either a tool's result or its error; handlers return it instead of throwing for expected failures.</summary>
public readonly struct ToolOutcome<TResult> where TResult : IJsonWritable
{
    private ToolOutcome(TResult? result, ToolError? error, IJsonWritable? replay = null) => (Result, Error, Replay) = (result, error, replay);

    public TResult? Result { get; }
    public ToolError? Error { get; }
    public bool IsError => Error is not null;

    /// <summary>The first answer of a retried idempotent call, given again as it was written (no <see cref="Result"/> then).</summary>
    public IJsonWritable? Replay { get; }

    /// <summary>Answers a retried idempotent call with its first answer, as stored.</summary>
    public static ToolOutcome<TResult> Replayed(string answerJson) => new(default, null, new StoredAnswer(answerJson));

    public static implicit operator ToolOutcome<TResult>(TResult result) => new(result, null);
    public static implicit operator ToolOutcome<TResult>(ToolError error) => new(default, error);
}
