using Orchestrator.Tooling;

namespace Orchestrator.Orchestration;

/// <summary>
/// An expected refusal inside a tool call's transaction. Thrown rather than returned so that the transaction rolls back
/// and a refused call changes nothing; <see cref="TaskOrchestrator"/> turns it into the call's <see cref="ToolError"/>.
/// </summary>
internal sealed class OrchestrationException(ToolError error) : Exception(error.Message)
{
    public ToolError Error { get; } = error;

    public static OrchestrationException NotFound(string what, string id, string phase) =>
        new(new ToolError(ErrorCode.NotFound, $"Unknown {what} id \"{(id.Length <= 60 ? id : id[..57] + "...")}\"", phase));

    public static OrchestrationException InvalidState(string message, string phase) =>
        new(new ToolError(ErrorCode.InvalidState, message, phase));

    public static OrchestrationException InvalidParameters(ArgumentErrors errors, string phase) =>
        new(errors.ToToolError() with { Phase = phase });
}
