namespace Orchestrator.Tooling;

/// <summary>
/// A handler that refuses some calls before they count against its tool's rate limit: a restart asked for while one
/// runs is refused as SHUTDOWN_IN_PROGRESS, not as "rate limited", and uses up nothing.
/// </summary>
public interface IAdmissionCheck
{
    /// <summary>The refusal, or null to go on to the rate limit and the handler.</summary>
    ToolError? RefuseBeforeAdmission();
}
