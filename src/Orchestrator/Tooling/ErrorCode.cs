namespace Orchestrator.Tooling;

/// <summary>The seven error codes of the reboot API reference.</summary>
public enum ErrorCode
{
    InitializationFailed,
    ShutdownInProgress,
    InvalidParameters,
    SystemNotReady,
    TimeoutExceeded,
    StateCorruption,
    ProcessFailed,
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
        _ => throw new ArgumentOutOfRangeException(nameof(code)),
    };
}
