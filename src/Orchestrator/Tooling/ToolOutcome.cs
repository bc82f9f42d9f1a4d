namespace Orchestrator.Tooling;

/// <summary>Either a tool's result or its error; handlers return it instead of throwing for expected failures.</summary>
public readonly struct ToolOutcome<TResult> where TResult : IJsonWritable
{
    private ToolOutcome(TResult? result, ToolError? error) => (Result, Error) = (result, error);

    public TResult? Result { get; }
    public ToolError? Error { get; }
    public bool IsError => Error is not null;

    public static implicit operator ToolOutcome<TResult>(TResult result) => new(result, null);
    public static implicit operator ToolOutcome<TResult>(ToolError error) => new(default, error);
}
