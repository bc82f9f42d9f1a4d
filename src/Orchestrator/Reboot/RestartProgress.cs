using Orchestrator.Reboot.Contract;

namespace Orchestrator.Reboot;

/// <summary>The observable state of the current (or last) restart, as <c>orchestrator_restart_status</c> reports it.</summary>
internal sealed record RestartProgress(
    RestartPhase Phase,
    double Progress,
    string Message,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EstimatedCompletion,
    IReadOnlyList<string> Errors)
{
    public static RestartProgress Idle { get; } = new(RestartPhase.Idle, 0, "No restart in progress", null, null, []);

    public bool MaintenanceMode => Phase is RestartPhase.MaintenanceMode or RestartPhase.SuspendingTasks or RestartPhase.SerializingState
        or RestartPhase.ClosingConnections or RestartPhase.Finalizing;
}
