using Microsoft.Extensions.Logging;
using Orchestrator.Http;
using Orchestrator.Orchestration.Mcp;
using Orchestrator.Reboot;
using Orchestrator.Reboot.Snapshot;
using Orchestrator.Storage;
using Orchestrator.TestHooks;
using Orchestrator.Tooling;

namespace Orchestrator.Hosting;

/// <summary>
/// Starts one process image and serves until the client leaves (stdio) or a termination signal. The order is the
/// restart's critical path: the new image's half of a restart (<see cref="IncomingImage"/>) reads the handover and
/// answers the pending restart call while the store opens on another core; only then are the tools bound to the store.
/// At a cold start the same steps run with nothing handed over.
/// </summary>
internal static class ServerHost
{
    public static async Task<int> RunAsync(ServerOptions options)
    {
        // Whatever umask the server was started with, what it creates (the store with its WAL and shared memory, snapshots,
        // the log file) is its owner's alone; the umask crosses execv, so the next image starts with it too.
        PrivateFiles.RestrictProcessUmask();
        // Before any thread starts: SIGTERM and SIGINT are taken by one thread, never by a handler (TerminationSignals).
        TerminationSignals.BlockInEveryThread();
        var signals = new TerminationSignals();
        using var log = new ServerLog(options);
        var logger = log.CreateLogger("Orchestrator");
        if (WithToken(options, log) is not { } withToken) return 2;
        options = withToken;
        var clock = TimeProvider.System;
        var hooks = TestHookSet.Current;
        var effects = hooks.Wrap(RestartEffects.Real);

        var incoming = IncomingImage.Read(options.Handover, SnapshotFormat.DataDirectoryId(options.DataDirectory), ServerInfo.Identity, effects.Observer);
        ArgumentErrors.MaxListed = options.MaxErrorsListed;
        var limits = new RateLimiter(options.RateLimitsEnabled, clock, GeneratedTools.All);
        if (incoming.Snapshot is { } carried) limits.Import(carried.RateLimits);
        // A test build standing for another release may serve other tool groups (BuildIdentityTrailer).
        var serves = ToolSelection.Serves(hooks.BuildIdentity?.ToolGroups ?? options.ToolGroups, hooks.SlowTool);
        var tools = new ToolTable(GeneratedTools.All, serves, limits, ResultResourceLinks.Instance);
        var surface = new McpSurface();
        var state = new RestartState();

        IServingMode mode;
        try
        {
            if (options.Http is null) mode = new StdioMode(incoming.Snapshot, incoming.Generation, tools, surface, log, options.Stdio);
            // A branch on the switch alone: in a stdio-only build the compiler drops it, and with it all that HTTP reaches.
            else if (HttpSupport.IsSupported) mode = HttpMode.Start(options, incoming, log, surface, clock);
            else
            {
                await Console.Error.WriteLineAsync("orchestrator: this build serves stdio only (built with -p:OrchestratorHttp=false)");
                return 2;
            }
        }
        catch (System.Net.Sockets.SocketException ex)
        {
            logger.LogCritical("Cannot listen on {EndPoint}: {Message}", options.Http!.EndPoint, ex.Message);
            await Console.Error.WriteLineAsync($"orchestrator: cannot listen on {options.Http.EndPoint}: {ex.Message}");
            return 1;
        }
        using var _ = mode;

        // The store opens on another core while the pending restart call is answered: that answer is what the client waits for.
        Store? store = null;
        var opening = new Thread(() => store = Store.Open(options.DataDirectory, options.DatabasePath)) { Name = "open-store" };
        opening.Start();
        mode.BeginStarting(tools, surface);
        incoming.AnswerRestartCall(mode.AnswerPendingRestart, state, clock);
        opening.Join();
        using var opened = store!;
        if (opened.Error is { } error) logger.LogError("{Error}", error);
        if (options.Handover is null) PrivacyAudit.LogAtStart(options, logger);

        var served = new ServedSurface(tools, incoming.Generation);
        var services = new ImageServices(options, opened, mode, state, limits, effects, signals, log, clock, served);
        tools.Bind(GeneratedTools.CreateEndpoints(services, serves));
        surface.Bind(opened.Database);
        incoming.Complete(services.History, services.Work, options.SnapshotDirectory, clock, logger);
        if (incoming.ChangedLists(served.Lists()) is { Count: > 0 } changed) mode.AnnounceListsChanged(changed);

        // Off the critical path: a signal that arrived meanwhile has stayed pending and is taken as soon as the watcher runs.
        ThreadPool.UnsafeQueueUserWorkItem(static s => s.StartWatching(), signals, preferLocal: false);
        using var watch = opened.Database is { } database ? new StoreWatch(database, logger) : null;

        var status = await mode.ServeAsync(tools, new ShutdownRequest(signals, options.ShutdownTimeout)).ConfigureAwait(false);
        EndForGood(signals, opened, options.SnapshotDirectory, logger);
        return status;
    }

    /// <summary>
    /// The options with the HTTP token read (<see cref="BearerToken.Open"/>), or null when the token file is refused
    /// (said on stderr and in the log). A token given as a flag is put in the environment the next image inherits.
    /// </summary>
    private static ServerOptions? WithToken(ServerOptions options, ServerLog log)
    {
        if (options.Token is { ValueOnCommandLine: true, Value: { } flagToken }) TokenHandover.CarryCommandLineToken(flagToken);
        if (options.Http is not { } http) return options;
        try
        {
            var token = BearerToken.Open(options.Token, TokenHandover.CarryFileToken, log.CreateLogger("Orchestrator.Http"));
            return options with { Http = http with { Token = token } };
        }
        catch (FormatException ex)
        {
            log.CreateLogger("Orchestrator").LogCritical("{Refusal}", ex.Message);
            Console.Error.WriteLine($"orchestrator: {ex.Message}");
            return null;
        }
    }

    /// <summary>
    /// The server ends for good: no restart may exec any more (one already committed replaces the process first), so a
    /// snapshot a restart abandoned midway is removed, and the store, reopened if that restart had closed it, is
    /// checkpointed so that <c>orchestrator.db</c> alone holds everything.
    /// </summary>
    private static void EndForGood(TerminationSignals signals, Store store, string snapshotDirectory, ILogger logger)
    {
        signals.BeginShutdown();
        var snapshot = Handover.SnapshotPathFor(snapshotDirectory, Environment.ProcessId);
        Handover.TryDelete(snapshot);
        Handover.TryDelete(snapshot + ".tmp");
        if (store.CheckpointAtExit() is { } problem) logger.LogWarning("{Problem}", problem);
    }
}
