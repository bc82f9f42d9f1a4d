namespace Orchestrator.Board;

/// <summary>The store cannot be shown (none yet, a newer or older schema, unreadable): the status and sentence the page gets.</summary>
internal sealed class BoardUnavailableException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}
