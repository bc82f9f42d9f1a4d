namespace Orchestrator.Orchestration.Mcp;

/// <summary>What completion/complete offers for a prompt argument or a URI template variable.</summary>
internal enum CompletionKind
{
    None,
    TaskId,
    SubtaskId,
    ArtifactId,
    SessionId,
}
