namespace Orchestrator.Reboot.Contract;

/// <summary>The phase a restart call reports, in the seed's order.</summary>
public enum RestartPhase
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

/// <summary>The phase <c>orchestrator_restart_status</c> reports: the restart phases plus idle and preparing.</summary>
public enum StatusPhase
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

public enum ReconnectTestStatus
{
    Pass,
    Fail,
    Partial,
}
