using Microsoft.Extensions.Logging;
using Orchestrator.Orchestration;
using Orchestrator.Orchestration.Contract;
using Orchestrator.Orchestration.Handlers;
using Orchestrator.Reboot;
using Orchestrator.Reboot.Contract;
using Orchestrator.Reboot.Handlers;
using Orchestrator.Reboot.Snapshot;
using Orchestrator.Storage;
using Orchestrator.Tooling;
using Orchestrator.Transport;

namespace Orchestrator.Hosting;

/// <summary>
/// The composition root: the transport, store, reboot machinery and tool handlers of one process image,
/// wired by hand (no DI container on the start-up path).
/// </summary>
internal sealed class ServerRuntime : IToolHandlerSource, IDisposable
{
    public ServerRuntime(ServerOptions options, LoggingHost logging, TestHooks hooks, ClientSession session, ReadOnlySpan<byte> replay)
    {
        Options = options;
        Logging = logging;
        Logger = logging.CreateLogger("Orchestrator");
        TestHooks = hooks;
        Session = session;
        var output = new StdoutChannel();
        RestartServer = new RestartServerHandler(this);
        HealthCheck = new HealthCheckHandler(this);
        ShutdownPrepare = new ShutdownPrepareHandler(this);
        RestartStatus = new RestartStatusHandler(this);
        ReconnectTest = new ReconnectTestHandler(this);
        TestSleep = new TestSleepHandler();
        InitializeSession = new TaskToolHandler<InitializeSessionArgs, InitializeSessionResult>(this, static (t, a) => t.InitializeSession(a), "initialize_session");
        PlanTask = new TaskToolHandler<PlanTaskArgs, PlanTaskResult>(this, static (t, a) => t.PlanTask(a), "plan_task");
        ExecuteSubtask = new TaskToolHandler<ExecuteSubtaskArgs, ExecuteSubtaskResult>(this, static (t, a) => t.ExecuteSubtask(a), "execute_subtask");
        CompleteSubtask = new TaskToolHandler<CompleteSubtaskArgs, CompleteSubtaskResult>(this, static (t, a) => t.CompleteSubtask(a), "complete_subtask");
        SynthesizeResults = new TaskToolHandler<SynthesizeResultsArgs, SynthesizeResultsResult>(this, static (t, a) => t.SynthesizeResults(a), "synthesize_results");
        GetStatus = new TaskToolHandler<GetStatusArgs, GetStatusResult>(this, static (t, a) => t.GetStatus(a), "get_status");
        QueryTasks = new TaskToolHandler<QueryTasksArgs, QueryTasksResult>(this, static (t, a) => t.QueryTasks(a), "query_tasks");
        UpdateTask = new TaskToolHandler<UpdateTaskArgs, UpdateTaskResult>(this, static (t, a) => t.UpdateTask(a), "update_task");
        CancelTask = new TaskToolHandler<CancelTaskArgs, CancelTaskResult>(this, static (t, a) => t.CancelTask(a), "cancel_task");
        Endpoints = GeneratedTools.CreateEndpoints(this, IncludeGroup);
        var fastPath = new FastPath(Endpoints, GeneratedTools.All);
        Transport = new StdioTransport(replay, output, new RequestTracker(), new MaintenanceGate(), session, fastPath, logging);
        Notifier = new ProgressNotifier(output);
        RestartTransport = new StdioRestartTransport(Transport, Notifier);
        logging.ForwardToClient(new ClientLogForwarder(session, output));
        RateLimiter = new RateLimiter(options.RateLimitsEnabled, Clock);
        DataDirectoryId = SnapshotFormat.DataDirectoryId(Path.GetFullPath(options.DataDirectory));
        Reboot = new RebootCoordinator(this);
    }

    /// <summary>The tools this image serves: the groups <c>--tools</c> names (all by default); the test hooks' only when enabled.</summary>
    public bool IncludeGroup(string group) =>
        group == "test" ? TestHooks.SlowTool : Options.ToolGroups is not { } groups || groups.Contains(group);

    public IReadOnlyList<ToolEndpoint> Endpoints { get; }

    public ServerOptions Options { get; }
    public LoggingHost Logging { get; }
    public ILogger Logger { get; }
    public TestHooks TestHooks { get; }
    public TimeProvider Clock { get; } = TimeProvider.System;
    public ClientSession Session { get; }
    public StdioTransport Transport { get; }
    public ProgressNotifier Notifier { get; }

    /// <summary>What a restart quiesces and hands over: stdio by default, HTTP once <see cref="UseHttp"/> is called.</summary>
    public Reboot.IRestartTransport RestartTransport { get; private set; }

    /// <summary>The Streamable HTTP side, in <c>--http</c> mode.</summary>
    public Http.HttpServing? Http { get; private set; }

    public void UseHttp(Http.HttpServing http)
    {
        Http = http;
        RestartTransport = new Http.HttpRestartTransport(http);
    }
    public RateLimiter RateLimiter { get; }
    public RebootCoordinator Reboot { get; }
    public ulong DataDirectoryId { get; }

    /// <summary>The store; null when it could not be opened (see <see cref="InitializationError"/>).</summary>
    public Database? Database { get; private set; }
    public RestartHistoryStore? History { get; private set; }
    public string? InitializationError { get; private set; }

    /// <summary>The task orchestrator over the store; null when the store could not be opened.</summary>
    public TaskOrchestrator? Tasks { get; private set; }

    public IToolHandler<RestartServerArgs, RestartServerResult> RestartServer { get; }
    public IToolHandler<HealthCheckArgs, HealthCheckResult> HealthCheck { get; }
    public IToolHandler<ShutdownPrepareArgs, ShutdownPrepareResult> ShutdownPrepare { get; }
    public IToolHandler<RestartStatusArgs, RestartStatusResult> RestartStatus { get; }
    public IToolHandler<ReconnectTestArgs, ReconnectTestResult> ReconnectTest { get; }
    public IToolHandler<TestSleepArgs, TestSleepResult> TestSleep { get; }
    public IToolHandler<InitializeSessionArgs, InitializeSessionResult> InitializeSession { get; }
    public IToolHandler<PlanTaskArgs, PlanTaskResult> PlanTask { get; }
    public IToolHandler<ExecuteSubtaskArgs, ExecuteSubtaskResult> ExecuteSubtask { get; }
    public IToolHandler<CompleteSubtaskArgs, CompleteSubtaskResult> CompleteSubtask { get; }
    public IToolHandler<SynthesizeResultsArgs, SynthesizeResultsResult> SynthesizeResults { get; }
    public IToolHandler<GetStatusArgs, GetStatusResult> GetStatus { get; }
    public IToolHandler<QueryTasksArgs, QueryTasksResult> QueryTasks { get; }
    public IToolHandler<UpdateTaskArgs, UpdateTaskResult> UpdateTask { get; }
    public IToolHandler<CancelTaskArgs, CancelTaskResult> CancelTask { get; }

    /// <summary>Opens the store; a failure leaves the server serving, with the reboot tools reporting INITIALIZATION_FAILED.</summary>
    public void OpenStore()
    {
        try
        {
            Directory.CreateDirectory(Options.DataDirectory);
            Database = Database.Open(Options.DatabasePath);
            Tasks = new TaskOrchestrator(Database, Clock, Directory.GetCurrentDirectory());
            History = new RestartHistoryStore(Database);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException or InvalidOperationException)
        {
            InitializationError = $"cannot open the store in {Options.DataDirectory}: {ex.Message}";
            Logger.LogError("{Error}", InitializationError);
            Database?.Dispose();
            Database = null;
        }
    }

    public void FlushLogs() => Logging.Flush();

    public void Dispose()
    {
        Database?.Dispose();
        Http?.Dispose();
    }
}
