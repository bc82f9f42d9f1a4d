using Orchestrator.Reboot.Contract;
using Orchestrator.Tooling;

namespace Orchestrator.Reboot;

/// <summary>What would stop a restart right now, checked for real: the executable, the snapshot directory, the store, a running restart.</summary>
internal sealed class RestartReadiness(
    RestartState state,
    IRestartTransport transport,
    IWorkSuspension work,
    RateLimiter limits,
    string snapshotDirectory,
    string? storeError)
{
    public RebootReadiness Evaluate(IReadOnlyList<string> clientKeys)
    {
        var issues = new List<string>();
        var executable = ProcessImage.ExecutablePath;
        if (ProcessImage.Problem(executable) is { } exe) issues.Add(exe);
        if (SnapshotDirectory.Problem(snapshotDirectory) is { } dir) issues.Add(dir);
        if (storeError is not null) issues.Add(storeError);
        if (state.InProgress) issues.Add($"a restart is in progress (phase {state.Progress.Phase.ToWire()})");
        return new RebootReadiness
        {
            Ready = issues.Count == 0,
            Issues = issues,
            Details = new RebootReadinessDetails
            {
                Executable = executable,
                SnapshotDirectory = snapshotDirectory,
                InFlightRequests = transport.InFlight,
                HeldRequests = transport.Held,
                ActiveSubtasks = work.InProgress,
                RestartInProgress = state.InProgress,
                RestartRetryAfter = limits.RetryAfter(clientKeys, RestartServerArgs.ToolName),
            },
        };
    }
}
