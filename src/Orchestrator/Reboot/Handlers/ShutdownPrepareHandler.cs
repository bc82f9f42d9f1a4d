using Orchestrator.Hosting;
using Orchestrator.Orchestration;
using Orchestrator.Reboot.Contract;
using Orchestrator.Tooling;

namespace Orchestrator.Reboot.Handlers;

/// <summary><c>orchestrator_shutdown_prepare</c>: what a graceful restart would have to wait for or could not get past, measured now.</summary>
internal sealed class ShutdownPrepareHandler(ServerRuntime runtime) : IToolHandler<ShutdownPrepareArgs, ShutdownPrepareResult>
{
    public ValueTask<ToolOutcome<ShutdownPrepareResult>> HandleAsync(ShutdownPrepareArgs args, ToolCallContext context, CancellationToken cancellationToken)
    {
        var blocking = new List<string>();
        var readiness = RestartReadiness.Evaluate(runtime, context.ClientKey);
        blocking.AddRange(readiness.Issues);

        ActiveTasksCheck? tasks = null;
        if (args.CheckActiveTasks)
        {
            // Subtasks in progress are suspended durably by a restart and resumed after it; calls in flight other than
            // this one are waited for by a graceful restart. Both delay, neither blocks.
            var subtasks = runtime.Tasks?.CountSubtasks(SubtaskStatus.InProgress) ?? 0;
            var calls = Math.Max(0, runtime.RestartTransport.InFlight - 1);
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
            var health = HealthCheckHandler.ProbeDatabase(runtime);
            var pending = runtime.Database?.PendingTransactions ?? 0;
            if (!health.Connected) blocking.Add("database unavailable: " + health.Status);
            database = new DatabaseStateCheck
            {
                TransactionsPending = pending,
                ConnectionsOpen = runtime.Database?.IsOpen == true ? 1 : 0,
                Status = !health.Connected ? health.Status : pending == 0 ? "ok" : $"{pending} transaction(s) open",
            };
        }

        ClientConnectionsCheck? clients = null;
        if (args.CheckClientConnections)
        {
            var connection = HealthCheckHandler.Connections(runtime);
            clients = new ClientConnectionsCheck
            {
                ActiveConnections = connection.ActiveConnections,
                // In-place restarts keep the client's pipes, so a connected client is told of the restart by its answer.
                Notifiable = connection.ActiveConnections > 0,
                Status = connection.Status,
            };
        }

        return ValueTask.FromResult<ToolOutcome<ShutdownPrepareResult>>(new ShutdownPrepareResult
        {
            ReadyForShutdown = blocking.Count == 0,
            BlockingIssues = blocking,
            Timestamp = runtime.Clock.GetUtcNow(),
            Checks = new ShutdownChecks { ActiveTasks = tasks, Database = database, ClientConnections = clients },
        });
    }
}
