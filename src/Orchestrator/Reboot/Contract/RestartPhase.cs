namespace Orchestrator.Reboot.Contract;

/// <summary>
/// The phase a restart is in, as <c>orchestrator_restart_status</c> reports it (the seed's list): idle, then
/// preparing (the checks before anything changes), the five phases of a restart in order, and how the last one ended.
/// </summary>
public enum RestartPhase
{
    Idle,
    Preparing,
    MaintenanceMode,
    SuspendingTasks,
    SerializingState,
    ClosingConnections,
    Finalizing,
    Complete,
    Failed,
}

/// <summary>
/// The phase the restart call's own answer names (the seed's list for <c>orchestrator_restart_server</c>): the same five
/// phases and outcomes, without idle and preparing, and with the two ways a restart is refused before it begins.
/// </summary>
public enum RestartAnswerPhase
{
    PreparationFailed,
    InitiationFailed,
    MaintenanceMode,
    SuspendingTasks,
    SerializingState,
    ClosingConnections,
    Finalizing,
    Complete,
    Failed,
}

public enum ReconnectTestStatus
{
    Pass,
    Fail,
    Partial,
}
