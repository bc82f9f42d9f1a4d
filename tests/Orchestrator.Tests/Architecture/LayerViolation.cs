namespace Orchestrator.Tests.Architecture;

/// <summary>One breach of the layering: where (file relative to the repository root, 1-based line) and what.</summary>
/// <param name="Target">What is used (a type, or a namespace in a using directive); one violation per file and target.</param>
internal sealed record LayerViolation(string File, int Line, string Target, string Message)
{
    public override string ToString() => $"{File}:{Line}: {Message}";
}
