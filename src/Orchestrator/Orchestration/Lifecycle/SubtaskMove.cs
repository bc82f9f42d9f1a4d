namespace Orchestrator.Orchestration;

/// <summary>Everything a call can do to a subtask's status; <see cref="SubtaskLifecycle"/> says from where to where.</summary>
internal enum SubtaskMove
{
    Execute,
    Complete,
    Fail,
    Block,
    RequestRevision,
    Release,
    Retry,
    Reopen,
    Unblock,
    Approve,
    SendBack,
    Cancel,
}
