using Microsoft.Extensions.Logging;
using ModelContextProtocol.Server;
using Orchestrator.Orchestration.Mcp;
using Orchestrator.Reboot;
using Orchestrator.Tooling;
using Orchestrator.Transport;

namespace Orchestrator.Hosting;

/// <summary>
/// Serving MCP over this process's stdin/stdout: our own transport (frames read without over-reading, a maintenance
/// gate, every answer written once), the fast path for the hot requests, and the SDK's server object only when a
/// message needs it.
/// </summary>
internal sealed class StdioMode : IServingMode
{
    private readonly ClientSession _session;
    private readonly StdioCaller _caller;
    private readonly StdioTransport _transport;
    private readonly StdioRestartTransport _restart;
    private readonly ServerLog _log;
    private readonly McpSurface _surface;
    private readonly ResourceSubscriptions _subscriptions;
    private readonly int _restartGeneration;

    /// <param name="carried">What the previous image carried across (null at a cold start or when its snapshot was refused).</param>
    /// <param name="restartGeneration">In-place restarts of this process so far, for the SDK's <c>serverInfo</c>.</param>
    public StdioMode(Reboot.Snapshot.RestartSnapshot? carried, int restartGeneration, ToolTable tools, McpSurface surface, ServerLog log, StdioLimits limits)
    {
        _log = log;
        _surface = surface;
        _restartGeneration = restartGeneration;
        _session = carried?.Session is { } saved ? ClientSession.Continue(saved) : ClientSession.New();
        _caller = new StdioCaller(_session);
        var output = new StdoutChannel();
        output.WidenPipe();
        _subscriptions = new ResourceSubscriptions(surface, output, carried?.Subscriptions);
        _transport = new StdioTransport(carried?.ReplayBytes ?? [], output, new RequestTracker(), new MaintenanceGate(tools.AllowedDuringMaintenance),
            _session, new FastPath(new McpDispatch(tools, surface), _caller, _subscriptions), log, limits);
        _restart = new StdioRestartTransport(_transport, new ProgressNotifier(output), _subscriptions);
        log.ForwardToClient(new ClientLogForwarder(_session, output));
    }

    public IRestartTransport Restart => _restart;

    public IClientConnections Clients => _restart;

    public void AnswerPendingRestart(ReadOnlySpan<byte> jsonRpcMessage) => _transport.Output.WriteFrame(jsonRpcMessage);

    /// <summary>Written after the restart's answer: the client asks for the list again before it calls what changed.</summary>
    public void AnnounceListsChanged(IReadOnlyList<string> kinds)
    {
        if (!_session.Initialized) return; // no client has heard the lists yet
        foreach (var kind in kinds)
            _transport.Output.WriteFrame(McpNotifications.ListChanged(kind));
    }

    public void BeginStarting(ToolTable tools, McpSurface surface)
    {
    }

    /// <summary>
    /// Serving starts without the SDK's server object: the fast path answers tools and pings. The object (a few ms of CPU)
    /// is built when the first message only the SDK handles arrives (initialize, logging, …), which after an in-place
    /// restart is usually never; that message waits in the transport's channel meanwhile. Serves until the input ends,
    /// or until a termination signal: then, like at the end of input, nothing more is read, and the calls in flight are
    /// answered within the shutdown bound.
    /// </summary>
    public async Task<int> ServeAsync(ToolTable tools, ShutdownRequest shutdown)
    {
        _transport.Start();
        var serving = RunSdkAsync(tools);
        var logger = _log.CreateLogger("Orchestrator");
        if (await Task.WhenAny(serving, shutdown.Signals.Requested).ConfigureAwait(false) == serving)
        {
            await serving.ConfigureAwait(false);
            // The client closed its end after writing calls: they still run to their end (their answers have nowhere to go,
            // their changes are kept), within the shutdown bound, as after a signal. Without this wait the process could
            // exit under a call the fast path had begun, and a committed-looking retry found nothing (IdempotentRetryTests).
            if (!await DrainAsync(shutdown).ConfigureAwait(false))
                logger.LogWarning("Exiting with {Count} call(s) still in flight (shutdown bound {Seconds} s)", _transport.Tracker.Count,
                    shutdown.Bound.TotalSeconds);
            logger.LogInformation("Client closed the connection; exiting");
            return 0;
        }
        var signal = await shutdown.Signals.Requested.ConfigureAwait(false);
        logger.LogInformation("{Signal} received: no more requests are read; calls in flight get up to {Seconds} s", TerminationSignals.Name(signal),
            shutdown.Bound.TotalSeconds);
        _transport.StopReading();
        if (!await DrainAsync(shutdown).ConfigureAwait(false))
            logger.LogWarning("Exiting with {Count} call(s) still in flight (shutdown bound {Seconds} s, or a second signal)", _transport.Tracker.Count,
                shutdown.Bound.TotalSeconds);
        await _transport.DisposeAsync().ConfigureAwait(false); // the SDK's server object, if any, ends with the transport
        logger.LogInformation("Exiting after {Signal}", TerminationSignals.Name(signal));
        return 0;
    }

    /// <summary>Waits for the calls in flight to be answered, within the shutdown bound; false when the bound (or a second signal) came first.</summary>
    private async Task<bool> DrainAsync(ShutdownRequest shutdown)
    {
        using var stopWaiting = new CancellationTokenSource();
        var drained = await shutdown.WaitAsync(_transport.Tracker.WaitUntilOnlyAsync(default, stopWaiting.Token)).ConfigureAwait(false);
        await stopWaiting.CancelAsync().ConfigureAwait(false);
        return drained;
    }

    private async Task RunSdkAsync(ToolTable tools)
    {
        await _transport.SdkNeeded.ConfigureAwait(false);
        await using var server = McpServer.Create(_transport, SdkServerOptions.Create(tools, () => _caller, _surface, _restartGeneration, _subscriptions, _session), _log);
        await server.RunAsync().ConfigureAwait(false);
    }

    /// <summary>The pipes are the client's, and they stay open for it; only the subscriptions' poll stops.</summary>
    public void Dispose() => _subscriptions.Dispose();
}
