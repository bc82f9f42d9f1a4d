using Orchestrator.Reboot.Contract;
using Orchestrator.Tooling;

namespace Orchestrator.Reboot.Handlers;

/// <summary><c>orchestrator_health_check</c>: probes the store with a real query, reports the client connection and restart readiness.</summary>
internal sealed class HealthCheckHandler(RestartReadiness readiness, StoreHealth store, IClientConnections clients, IWorkSuspension work,
    TimeProvider clock, BuildInfo build, int restartGeneration)
    : IToolHandler<HealthCheckArgs, HealthCheckResult>
{
    public async ValueTask<ToolOutcome<HealthCheckResult>> HandleAsync(HealthCheckArgs args, ToolCallContext context, CancellationToken cancellationToken)
    {
        var database = store.Probe();
        var readinessResult = args.IncludeRebootReadiness ? await readiness.EvaluateAsync(context.RateLimitKeys, cancellationToken).ConfigureAwait(false) : null;
        var connections = clients.Health();
        var result = new HealthCheckResult
        {
            Healthy = database.Connected && database.Writable != false && connections.ActiveConnections > 0,
            Timestamp = clock.GetUtcNow(),
            ServerVersion = build.Version,
            Checks = new HealthChecks
            {
                RebootReadiness = readinessResult,
                Database = args.IncludeDatabaseStatus ? database : null,
                Connections = args.IncludeConnectionStatus ? connections : null,
                Work = args.IncludeDatabaseStatus && database.Connected ? Work() : null,
            },
            Build = build,
            RestartGeneration = restartGeneration,
        };
        return result;
    }

    private WorkHealth Work()
    {
        var inProgress = work.InProgress;
        // Stale claims are looked for only when something is in progress: a store at rest answers with one count.
        IReadOnlyList<string> stale = inProgress > 0 ? work.StaleClaims() : [];
        return new WorkHealth { SubtasksInProgress = inProgress, StaleClaims = stale.Count, Stale = stale.Take(10).ToList() };
    }
}
