using Orchestrator.Hosting;
using Orchestrator.Orchestration;
using Orchestrator.Tooling;
using Orchestrator.Reboot.Contract;

namespace Orchestrator.Reboot;

/// <summary>What would stop a restart right now, checked for real: the executable, the snapshot directory, the store, a running restart.</summary>
internal static class RestartReadiness
{
    public static RebootReadiness Evaluate(ServerRuntime runtime, string clientKey)
    {
        var issues = new List<string>();
        var executable = ProcessImage.ExecutablePath;
        if (ProcessImage.Problem(executable) is { } exe) issues.Add(exe);
        if (SnapshotDirectory.Problem(runtime.Options.SnapshotDirectory) is { } dir) issues.Add(dir);
        if (runtime.InitializationError is { } init) issues.Add(init);
        if (runtime.Reboot.InProgress) issues.Add($"a restart is in progress (phase {runtime.Reboot.Progress.Phase.ToWire()})");
        return new RebootReadiness
        {
            Ready = issues.Count == 0,
            Issues = issues,
            Details = new RebootReadinessDetails
            {
                Executable = executable,
                SnapshotDirectory = runtime.Options.SnapshotDirectory,
                InFlightRequests = runtime.RestartTransport.InFlight,
                HeldRequests = runtime.RestartTransport.Held,
                ActiveSubtasks = runtime.Tasks?.CountSubtasks(SubtaskStatus.InProgress) ?? 0,
                RestartInProgress = runtime.Reboot.InProgress,
                RestartRetryAfter = runtime.RateLimiter.RetryAfter(clientKey, RestartServerArgs.ToolName),
            },
        };
    }
}
