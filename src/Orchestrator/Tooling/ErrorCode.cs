namespace Orchestrator.Tooling;

/// <summary>The seven error codes of the reboot API reference, and the two of task orchestration (<see cref="NotFound"/>, <see cref="InvalidState"/>).</summary>
public enum ErrorCode
{
    InitializationFailed,
    ShutdownInProgress,
    InvalidParameters,
    SystemNotReady,
    TimeoutExceeded,
    StateCorruption,
    ProcessFailed,
    /// <summary>An unknown session, task or subtask id.</summary>
    NotFound,
    /// <summary>A state transition the entity's current state does not allow, or unmet dependencies.</summary>
    InvalidState,
}

public static class ErrorCodeNames
{
    public static string ToWire(this ErrorCode code) => code switch
    {
        ErrorCode.InitializationFailed => "INITIALIZATION_FAILED",
        ErrorCode.ShutdownInProgress => "SHUTDOWN_IN_PROGRESS",
        ErrorCode.InvalidParameters => "INVALID_PARAMETERS",
        ErrorCode.SystemNotReady => "SYSTEM_NOT_READY",
        ErrorCode.TimeoutExceeded => "TIMEOUT_EXCEEDED",
        ErrorCode.StateCorruption => "STATE_CORRUPTION",
        ErrorCode.ProcessFailed => "PROCESS_FAILED",
        ErrorCode.NotFound => "NOT_FOUND",
        ErrorCode.InvalidState => "INVALID_STATE",
        _ => throw new ArgumentOutOfRangeException(nameof(code)),
    };
}
