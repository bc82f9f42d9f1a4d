using Orchestrator.Reboot.Contract;
using Orchestrator.Tooling;

namespace Orchestrator.Reboot;

/// <summary>
/// The running or last restart of this process image, as <c>orchestrator_restart_status</c> and the health check report it,
/// and the guard that lets one restart run at a time.
/// </summary>
internal sealed class RestartState
{
    private readonly SemaphoreSlim _single = new(1, 1);
    private RestartProgress _progress = RestartProgress.Idle;

    public RestartProgress Progress => Volatile.Read(ref _progress);

    public bool InProgress => _single.CurrentCount == 0;

    /// <summary>Claims the one restart slot; false when a restart is already running.</summary>
    public bool TryBegin() => _single.Wait(0);

    public void End() => _single.Release();

    public void Report(RestartProgress progress) => Volatile.Write(ref _progress, progress);

    /// <summary>The refusal of a restart asked for while one runs (SHUTDOWN_IN_PROGRESS, naming its phase).</summary>
    public ToolError AlreadyRunning()
    {
        var phase = Progress.Phase.ToWire();
        return new ToolError(ErrorCode.ShutdownInProgress, $"A restart is already in progress (phase {phase})", phase);
    }
}
