namespace Orchestrator.Orchestration;

/// <summary>A client's orchestration session, bound to one working directory (whose <c>.orchestrator/roles.json</c> it uses).</summary>
public sealed record Session
{
    public required string Id { get; init; }
    public required string WorkingDirectory { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset LastActiveAt { get; init; }
}
