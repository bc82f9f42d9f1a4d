using Microsoft.Extensions.Logging;
using Orchestrator.Reboot;
using Orchestrator.Reboot.Snapshot;
using Orchestrator.Storage;
using Orchestrator.TestHooks;
using Orchestrator.Tooling;

namespace Orchestrator.Hosting;

/// <summary>
/// Starts one process image and serves until the client leaves (stdio) or a termination signal (HTTP). The order is the
/// restart's critical path: the new image's half of a restart (<see cref="IncomingImage"/>) reads the handover and
/// answers the pending restart call while the store opens on another core; only then are the tools bound to the store.
/// At a cold start the same steps run with nothing handed over.
/// </summary>
internal static class ServerHost
{
    public static async Task<int> RunAsync(ServerOptions options)
    {
        using var log = new ServerLog(options);
        var logger = log.CreateLogger("Orchestrator");
        var clock = TimeProvider.System;
        var hooks = TestHookSet.Current;
        var effects = hooks.Wrap(RestartEffects.Real);

        var incoming = IncomingImage.Read(options.Handover, SnapshotFormat.DataDirectoryId(options.DataDirectory), ServerInfo.Identity, effects.Observer);
        ArgumentErrors.MaxListed = options.MaxErrorsListed;
        var limits = new RateLimiter(options.RateLimitsEnabled, clock, GeneratedTools.All);
        if (incoming.Snapshot is { } carried) limits.Import(carried.RateLimits);
        var serves = ToolSelection.Serves(options.ToolGroups, hooks.SlowTool);
        var tools = new ToolTable(GeneratedTools.All, serves, limits);
        var state = new RestartState();

        IServingMode mode;
        try
        {
            mode = options.Http is null ? new StdioMode(incoming.Snapshot, tools, log, options.Stdio) : HttpMode.Start(options, incoming, log, clock);
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
        mode.BeginStarting(tools);
        incoming.AnswerRestartCall(mode.AnswerPendingRestart, state, clock);
        opening.Join();
        using var opened = store!;
        if (opened.Error is { } error) logger.LogError("{Error}", error);

        var services = new ImageServices(options, opened, mode, state, limits, effects, log, clock);
        tools.Bind(GeneratedTools.CreateEndpoints(services, serves));
        incoming.Complete(services.History, services.Work, options.SnapshotDirectory, clock, logger);

        var status = await mode.ServeAsync(tools).ConfigureAwait(false);
        opened.Checkpoint();
        return status;
    }
}
