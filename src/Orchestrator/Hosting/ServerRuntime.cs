using Microsoft.Extensions.Logging;
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
        Endpoints = GeneratedTools.CreateEndpoints(this, IncludeGroup);
        var fastPath = new FastPath(Endpoints, GeneratedTools.All);
        Transport = new StdioTransport(replay, output, new RequestTracker(), new MaintenanceGate(), session, fastPath, logging);
        Notifier = new ProgressNotifier(output);
        RateLimiter = new RateLimiter(options.RateLimitsEnabled, Clock);
        DataDirectoryId = SnapshotFormat.DataDirectoryId(Path.GetFullPath(options.DataDirectory));
        Reboot = new RebootCoordinator(this);
    }

    /// <summary>The tools this image serves: every group but the test hooks', unless those are enabled.</summary>
    public bool IncludeGroup(string group) => group != "test" || TestHooks.SlowTool;

    public IReadOnlyList<ToolEndpoint> Endpoints { get; }

    public ServerOptions Options { get; }
    public LoggingHost Logging { get; }
    public ILogger Logger { get; }
    public TestHooks TestHooks { get; }
    public TimeProvider Clock { get; } = TimeProvider.System;
    public ClientSession Session { get; }
    public StdioTransport Transport { get; }
    public ProgressNotifier Notifier { get; }
    public RateLimiter RateLimiter { get; }
    public RebootCoordinator Reboot { get; }
    public ulong DataDirectoryId { get; }

    /// <summary>The store; null when it could not be opened (see <see cref="InitializationError"/>).</summary>
    public Database? Database { get; private set; }
    public RestartHistoryStore? History { get; private set; }
    public string? InitializationError { get; private set; }

    public IToolHandler<RestartServerArgs, RestartServerResult> RestartServer { get; }
    public IToolHandler<HealthCheckArgs, HealthCheckResult> HealthCheck { get; }
    public IToolHandler<ShutdownPrepareArgs, ShutdownPrepareResult> ShutdownPrepare { get; }
    public IToolHandler<RestartStatusArgs, RestartStatusResult> RestartStatus { get; }
    public IToolHandler<ReconnectTestArgs, ReconnectTestResult> ReconnectTest { get; }
    public IToolHandler<TestSleepArgs, TestSleepResult> TestSleep { get; }

    /// <summary>Opens the store; a failure leaves the server serving, with the reboot tools reporting INITIALIZATION_FAILED.</summary>
    public void OpenStore()
    {
        try
        {
            Directory.CreateDirectory(Options.DataDirectory);
            Database = Database.Open(Options.DatabasePath);
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

    public void Dispose() => Database?.Dispose();
}
