using Orchestrator.Reboot.Contract;

namespace Orchestrator.Reboot;

/// <summary>The observable state of the current (or last) restart, as <c>orchestrator_restart_status</c> reports it.</summary>
internal sealed record RestartProgress(
    StatusPhase Phase,
    double Progress,
    string Message,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EstimatedCompletion,
    IReadOnlyList<string> Errors)
{
    public static RestartProgress Idle { get; } = new(StatusPhase.Idle, 0, "No restart in progress", null, null, []);

    public bool MaintenanceMode => Phase is StatusPhase.MaintenanceMode or StatusPhase.SuspendingTasks or StatusPhase.SerializingState
        or StatusPhase.ClosingConnections or StatusPhase.Finalizing;
}
