using Orchestrator.Reboot.Contract;
using Orchestrator.Tooling;

namespace Orchestrator.Reboot.Handlers;

/// <summary><c>orchestrator_shutdown_prepare</c>: what a graceful restart would have to wait for or could not get past, measured now.</summary>
internal sealed class ShutdownPrepareHandler(
    RestartReadiness readiness,
    IWorkSuspension work,
    IRestartTransport transport,
    StoreHealth store,
    IClientConnections clients,
    TimeProvider clock)
    : IToolHandler<ShutdownPrepareArgs, ShutdownPrepareResult>
{
    public async ValueTask<ToolOutcome<ShutdownPrepareResult>> HandleAsync(ShutdownPrepareArgs args, ToolCallContext context, CancellationToken cancellationToken)
    {
        var blocking = new List<string>();
        blocking.AddRange((await readiness.EvaluateAsync(context.RateLimitKeys, cancellationToken).ConfigureAwait(false)).Issues);

        ActiveTasksCheck? tasks = null;
        if (args.CheckActiveTasks)
        {
            // Subtasks in progress are suspended durably by a restart and resumed after it; calls in flight other than
            // this one are waited for by a graceful restart. Both delay, neither blocks.
            var subtasks = work.InProgress;
            var calls = Math.Max(0, transport.InFlight - 1);
            tasks = new ActiveTasksCheck
            {
                Count = subtasks,
                Suspendable = true,
                Status = subtasks == 0 && calls == 0
                    ? "idle"
                    : $"{subtasks} subtask(s) in progress (suspended and resumed across a restart), {calls} other call(s) in flight",
            };
        }

        DatabaseStateCheck? database = null;
        if (args.CheckDatabaseState)
        {
            var health = store.Probe();
            var pending = store.PendingTransactions;
            if (!health.Connected) blocking.Add("database unavailable: " + health.Status);
            else if (health.Writable == false) blocking.Add("database cannot be written: " + health.Status);
            database = new DatabaseStateCheck
            {
                TransactionsPending = pending,
                ConnectionsOpen = store.IsOpen ? 1 : 0,
                Status = health.Connected && health.Writable != false ? pending == 0 ? "ok" : $"{pending} transaction(s) open" : health.Status,
            };
        }

        ClientConnectionsCheck? connections = null;
        if (args.CheckClientConnections)
        {
            var connection = clients.Health();
            connections = new ClientConnectionsCheck
            {
                ActiveConnections = connection.ActiveConnections,
                // In-place restarts keep the client's pipes, so a connected client is told of the restart by its answer.
                Notifiable = connection.ActiveConnections > 0,
                Status = connection.Status,
            };
        }

        return new ShutdownPrepareResult
        {
            ReadyForShutdown = blocking.Count == 0,
            BlockingIssues = blocking,
            Timestamp = clock.GetUtcNow(),
            Checks = new ShutdownChecks { ActiveTasks = tasks, Database = database, ClientConnections = connections },
        };
    }
}
