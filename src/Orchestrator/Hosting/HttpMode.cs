using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Orchestrator.Board;
using Orchestrator.Http;
using Orchestrator.Orchestration.Mcp;
using Orchestrator.Reboot;
using Orchestrator.Tooling;

namespace Orchestrator.Hosting;

/// <summary>
/// Serving MCP over Streamable HTTP: our transport (a listening socket bound once and inherited by every image, freezable
/// connections, sessions that outlive a restart), its front for sessions' plain calls, and the SDK's endpoint on Kestrel
/// for everything else.
/// </summary>
internal sealed class HttpMode : IServingMode, IDisposable
{
    private readonly HttpTransport _transport;
    private readonly HttpRestartTransport _restart;
    /// <summary>Ends the long-lived event streams (the board's, the sessions' standalone streams) at a restart or shutdown.</summary>
    private readonly EventStreamStop _eventStreams = new();
    private readonly ServerOptions _options;
    private readonly ServerLog _log;
    private readonly int _restartGeneration;
    private Thread? _starting;
    private WebApplication? _application;

    private HttpMode(HttpTransport transport, ServerOptions options, ServerLog log, int restartGeneration)
    {
        _restartGeneration = restartGeneration;
        _transport = transport;
        _restart = new HttpRestartTransport(transport);
        Restart = new EventStreamsEndingRestart(_restart, _eventStreams);
        _options = options;
        _log = log;
    }

    /// <summary>Binds the address (cold start) or takes over the sockets the previous image handed over.</summary>
    /// <exception cref="System.Net.Sockets.SocketException">The address cannot be bound.</exception>
    public static HttpMode Start(ServerOptions options, IncomingImage incoming, ServerLog log, McpSurface surface, TimeProvider clock) =>
        new(HttpTransport.Start(options.Http!, incoming.Sockets, incoming.Snapshot?.HttpSessions ?? [], incoming.Snapshot?.HttpEventStreams ?? [],
            incoming.Snapshot?.HttpSubscriptions ?? [], surface, clock), options, log, incoming.Generation);

    public IRestartTransport Restart { get; }

    public IClientConnections Clients => _restart;

    public void AnswerPendingRestart(ReadOnlySpan<byte> jsonRpcMessage) => _transport.AnswerPending(jsonRpcMessage);

    /// <summary>
    /// Every session carried across the restart hears of it on its standalone stream, when the client reopens it (at once,
    /// after the stream's <c>retry</c>). 2026-07-28 clients hold no session (they re-list by the lists' cache hints).
    /// </summary>
    public void AnnounceListsChanged(IReadOnlyList<string> kinds) => _transport.Subscriptions.OweListsChanged(kinds, _transport.Sessions.Ids());

    /// <summary>
    /// Prepares the web application, the longest step of a start (dependency injection, Kestrel, the SDK's endpoint), and
    /// arms the front that answers sessions' plain calls without it (<see cref="HttpFront"/>). The application is built
    /// on its own thread once the store is open (<see cref="ServeAsync"/>), and after a restart only once a connection
    /// needs it or <see cref="HostPatienceAfterRestart"/> has passed: built beside them, it took the second core from the
    /// restart's answer, the store's opening and the calls that follow a restart, which the front answers (bench http,
    /// restart → ready 27–34 ms before the front; 12.5–13.9 ms with it, the host built once the store is open; 8.8–9.3 ms
    /// with the host built later).
    /// </summary>
    public void BeginStarting(ToolTable tools, McpSurface surface)
    {
        // The board (/board) beside /mcp: the same token and Origin/Host rules, its event streams ended at a restart.
        var board = new BoardEndpoint(new BoardStore(_options.DataDirectory), new BoardGuard(_transport.Options), () => _eventStreams.Token, TimeProvider.System);
        var sessionStreams = new SessionEventStreams(_transport.Subscriptions, surface, _transport.Sessions, _eventStreams,
            _log.CreateLogger("Orchestrator.Http"));
        var serverOptions = SdkServerOptions.Create(tools, HttpCaller.CurrentOrUnknown, surface, _restartGeneration, _transport.Subscriptions);
        if (TestHooks.TestHookSet.Current.ConformanceFixtures) serverOptions.ToolCollection!.Add(new TestHooks.ReconnectionFixtureTool());
        // The front answers sessions' plain calls on the connections it holds, host or no host, once the store is open.
        _transport.Front.Arm(new McpDispatch(tools, surface));
        _starting = new Thread(() =>
        {
            if (TestHooks.TestHookSet.Current.HoldHttpHost) TestHooks.TestHookSet.Current.HoldHttpHostUntilReleased();
            if (_restartGeneration > 0) _transport.Front.WaitUntilHostNeeded(HostPatienceAfterRestart);
            _application = HttpApplication.Start(_transport, serverOptions, _log, _options.LogLevel, _options.ShutdownTimeout, sessionStreams, board.HandleAsync);
        }) { Name = "start-http" };
    }

    /// <summary>
    /// Serves until SIGTERM/SIGINT; 1 when the application could not start (logged). Then Kestrel stops accepting, lets
    /// requests in flight finish and closes idle connections; past the shutdown bound it aborts the rest, and past the
    /// bound and a second more this image stops waiting for it at all.
    /// </summary>
    public async Task<int> ServeAsync(ToolTable tools, ShutdownRequest shutdown)
    {
        _transport.StoreReady();
        _starting!.Start();
        _starting.Join();
        if (_application is not { } application) return 1;
        var logger = _log.CreateLogger("Orchestrator");
        var signal = await shutdown.Signals.Requested.ConfigureAwait(false);
        logger.LogInformation("{Signal} received: shutting down; requests in flight get up to {Seconds} s", TerminationSignals.Name(signal),
            shutdown.Bound.TotalSeconds);
        // The event streams would hold their requests open to the bound: they end now, and the calls in flight are waited for,
        // Kestrel's and the front's (which takes no new one: what comes meanwhile goes to Kestrel, which is stopping).
        _eventStreams.EndAll();
        _transport.Front.Stop();
        var stopped = Task.WhenAll(application.StopAsync(), _transport.Calls.WaitForFrontCallsAsync(CancellationToken.None));
        if (!await shutdown.WaitAsync(stopped, StopGrace).ConfigureAwait(false))
        {
            logger.LogWarning("The HTTP server did not stop within the shutdown bound ({Seconds} s); exiting", shutdown.Bound.TotalSeconds);
            return 0;
        }
        await Task.WhenAny(application.DisposeAsync().AsTask(), Task.Delay(StopGrace)).ConfigureAwait(false);
        logger.LogInformation("Exiting after {Signal}", TerminationSignals.Name(signal));
        return 0;
    }

    /// <summary>How long after a restart the host waits to be needed before it is built anyway (see <see cref="BeginStarting"/>).</summary>
    private static readonly TimeSpan HostPatienceAfterRestart = TimeSpan.FromMilliseconds(100);

    /// <summary>Kestrel aborts what is left when the bound passes: how long it gets to do so, and then to dispose.</summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(1);

    public void Dispose() => _transport.Dispose();
}
