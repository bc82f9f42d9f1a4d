using Orchestrator.Reboot.Contract;
using Orchestrator.Tooling;

namespace Orchestrator.Reboot;

/// <summary>
/// What would stop a restart right now, checked for real: the executable (and whether the file now at its path, or a
/// staged upgrade, can take over: <see cref="SuccessorCheck"/>), the snapshot directory and its disk, the store, a
/// running restart.
/// </summary>
internal sealed class RestartReadiness(
    RestartState state,
    IRestartTransport transport,
    IWorkSuspension work,
    RateLimiter limits,
    string snapshotDirectory,
    Storage.Store store,
    SuccessorCheck successor)
{
    public async Task<RebootReadiness> EvaluateAsync(IReadOnlyList<string> clientKeys, CancellationToken cancellationToken)
    {
        var issues = new List<string>();
        var executable = ProcessImage.ExecutablePath;
        if (ProcessImage.Problem(executable) is { } exe) issues.Add(exe);
        else if ((await successor.CheckAsync(executable, HandoverProbe.Deadline, cancellationToken).ConfigureAwait(false)).Problem is { } cannot)
            issues.Add(cannot);
        var staged = executable + LiveUpgrade.StagedSuffix;
        if (File.Exists(staged))
        {
            var problem = ProcessImage.Problem(staged) ?? (await successor.CheckAsync(staged, HandoverProbe.Deadline, cancellationToken).ConfigureAwait(false)).Problem;
            if (problem is not null) issues.Add("staged upgrade: " + problem);
        }
        if (SnapshotDirectory.Problem(snapshotDirectory) is { } dir) issues.Add(dir);
        if (store.Error is not null) issues.Add(store.Error);
        if (store.Database?.WriteRefusal() is { } refusal) issues.Add(refusal.Message);
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
