using Microsoft.Data.Sqlite;
using Orchestrator.Hosting;
using Orchestrator.Reboot.Contract;
using Orchestrator.Tooling;

namespace Orchestrator.Reboot.Handlers;

/// <summary><c>orchestrator_health_check</c>: probes the store with a real query, reports the client connection and restart readiness.</summary>
internal sealed class HealthCheckHandler(ServerRuntime runtime) : IToolHandler<HealthCheckArgs, HealthCheckResult>
{
    public ValueTask<ToolOutcome<HealthCheckResult>> HandleAsync(HealthCheckArgs args, ToolCallContext context, CancellationToken cancellationToken)
    {
        var database = ProbeDatabase(runtime);
        var connections = Connections(runtime);
        var result = new HealthCheckResult
        {
            Healthy = database.Connected && connections.ActiveConnections > 0,
            Timestamp = runtime.Clock.GetUtcNow(),
            ServerVersion = ServerInfo.Version,
            Checks = new HealthChecks
            {
                RebootReadiness = args.IncludeRebootReadiness ? RestartReadiness.Evaluate(runtime, context.ClientKey) : null,
                Database = args.IncludeDatabaseStatus ? database : null,
                Connections = args.IncludeConnectionStatus ? connections : null,
            },
        };
        return ValueTask.FromResult<ToolOutcome<HealthCheckResult>>(result);
    }

    internal static DatabaseHealth ProbeDatabase(ServerRuntime runtime)
    {
        if (runtime.Database is not { } database)
            return new DatabaseHealth { Connected = false, Status = runtime.InitializationError ?? "not opened", Path = runtime.Options.DatabasePath };
        try
        {
            var milliseconds = database.Probe();
            return new DatabaseHealth { Connected = true, Status = "ok", ProbeMilliseconds = Math.Round(milliseconds, 3), Path = database.Path };
        }
        catch (Exception ex) when (ex is SqliteException or InvalidOperationException)
        {
            return new DatabaseHealth { Connected = false, Status = "probe failed: " + ex.Message, Path = database.Path };
        }
    }

    internal static ConnectionHealth Connections(ServerRuntime runtime)
    {
        if (runtime.Http is { } http)
        {
            // Over HTTP the server is reachable as long as it listens; the count is of open client connections.
            var open = http.Registry.Count;
            return new ConnectionHealth
            {
                ActiveConnections = Math.Max(open, 1),
                Status = $"listening on http://{http.Listener.EndPoint}{Http.HttpOptions.EndpointPath}: {open} connection(s), {http.Sessions.Count} session(s)",
                Transport = "http",
            };
        }
        var connected = runtime.Transport.IsConnected;
        return new ConnectionHealth
        {
            ActiveConnections = connected ? 1 : 0,
            Status = connected ? (runtime.Session.Initialized ? "connected" : "connected, not initialized") : "disconnected",
            Transport = "stdio",
        };
    }
}
