using Orchestrator.Tooling;

namespace Orchestrator.Reboot.Contract;

[McpTool("orchestrator_shutdown_prepare", Description = "Validates server readiness for graceful shutdown, identifying any blocking conditions.",
    Result = typeof(ShutdownPrepareResult), Group = "reboot",
    AllowedDuringMaintenance = true)]
public sealed partial record ShutdownPrepareArgs
{
    [Describe("Whether to check for active tasks")]
    public bool CheckActiveTasks { get; init; } = true;

    [Describe("Whether to check database state")]
    public bool CheckDatabaseState { get; init; } = true;

    [Describe("Whether to check client connections")]
    public bool CheckClientConnections { get; init; } = true;
}

public sealed partial record ShutdownPrepareResult
{
    [Describe("Whether server is ready for shutdown")]
    public required bool ReadyForShutdown { get; init; }

    [Describe("List of issues blocking shutdown")]
    public required IReadOnlyList<string> BlockingIssues { get; init; }

    [Describe("ISO timestamp of readiness check")]
    public required DateTimeOffset Timestamp { get; init; }

    public ShutdownChecks? Checks { get; init; }
}

[McpModel]
public sealed partial record ShutdownChecks
{
    public ActiveTasksCheck? ActiveTasks { get; init; }
    public DatabaseStateCheck? Database { get; init; }
    public ClientConnectionsCheck? ClientConnections { get; init; }
}

[McpModel]
public sealed partial record ActiveTasksCheck
{
    public required int Count { get; init; }
    public required bool Suspendable { get; init; }
    public required string Status { get; init; }
}

[McpModel]
public sealed partial record DatabaseStateCheck
{
    public required int TransactionsPending { get; init; }
    public required int ConnectionsOpen { get; init; }
    public required string Status { get; init; }
}

[McpModel]
public sealed partial record ClientConnectionsCheck
{
    public required int ActiveConnections { get; init; }
    public required bool Notifiable { get; init; }
    public required string Status { get; init; }
}
