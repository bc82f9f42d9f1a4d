namespace Orchestrator.Orchestration;

/// <summary>The detailed work a completed subtask produced, kept apart from its short summary.</summary>
public sealed record Artifact
{
    public required string Id { get; init; }
    public required string SubtaskId { get; init; }
    public required ArtifactType Type { get; init; }
    public required string Content { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}
