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
/// connections, sessions that outlive a restart) under the SDK's endpoint on Kestrel.
/// </summary>
internal sealed class HttpMode : IServingMode, IDisposable
{
    private readonly HttpTransport _transport;
    private readonly HttpRestartTransport _restart;
    private readonly BoardStreamStop _boardStreams = new();
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
        Restart = new BoardStreamsEndingRestart(_restart, _boardStreams);
        _options = options;
        _log = log;
    }

    /// <summary>Binds the address (cold start) or takes over the sockets the previous image handed over.</summary>
    /// <exception cref="System.Net.Sockets.SocketException">The address cannot be bound.</exception>
    public static HttpMode Start(ServerOptions options, IncomingImage incoming, ServerLog log, TimeProvider clock) =>
        new(HttpTransport.Start(options.Http!, incoming.Sockets, incoming.Snapshot?.HttpSessions ?? [], incoming.Snapshot?.HttpEventStreams ?? [], clock),
            options, log, incoming.Generation);

    public IRestartTransport Restart { get; }

    public IClientConnections Clients => _restart;

    public void AnswerPendingRestart(ReadOnlySpan<byte> jsonRpcMessage) => _transport.AnswerPending(jsonRpcMessage);

    /// <summary>
    /// Not sent over HTTP: a server-initiated notification needs the session's standalone GET stream, which this server
    /// does not offer (405), and 2026-07-28 clients hold no session at all (they re-list by the lists' cache hints).
    /// </summary>
    public void AnnounceListsChanged(IReadOnlyList<string> kinds)
    {
    }

    /// <summary>
    /// The web application is built and started on its own thread while the restart call is answered and the store opens:
    /// it is the longest step (dependency injection, Kestrel, the SDK's endpoint). Requests that reach it before the store
    /// is open wait for it at the gate.
    /// </summary>
    public void BeginStarting(ToolTable tools, McpSurface surface)
    {
        // The board (/board) beside /mcp: the same token and Origin/Host rules, its event streams ended at a restart.
        var board = new BoardEndpoint(new BoardStore(_options.DataDirectory), new BoardGuard(_transport.Options), _boardStreams, TimeProvider.System);
        _starting = new Thread(() => _application = HttpApplication.Start(
            _transport, SdkServerOptions.Create(tools, HttpCaller.CurrentOrUnknown, surface, _restartGeneration), _log, _options.LogLevel,
            _options.ShutdownTimeout, board.HandleAsync)) { Name = "start-http" };
        _starting.Start();
    }

    /// <summary>
    /// Serves until SIGTERM/SIGINT; 1 when the application could not start (logged). Then Kestrel stops accepting, lets
    /// requests in flight finish and closes idle connections; past the shutdown bound it aborts the rest, and past the
    /// bound and a second more this image stops waiting for it at all.
    /// </summary>
    public async Task<int> ServeAsync(ToolTable tools, ShutdownRequest shutdown)
    {
        _transport.StoreReady();
        _starting!.Join();
        if (_application is not { } application) return 1;
        var logger = _log.CreateLogger("Orchestrator");
        var signal = await shutdown.Signals.Requested.ConfigureAwait(false);
        logger.LogInformation("{Signal} received: shutting down; requests in flight get up to {Seconds} s", TerminationSignals.Name(signal),
            shutdown.Bound.TotalSeconds);
        if (!await shutdown.WaitAsync(application.StopAsync(), StopGrace).ConfigureAwait(false))
        {
            logger.LogWarning("The HTTP server did not stop within the shutdown bound ({Seconds} s); exiting", shutdown.Bound.TotalSeconds);
            return 0;
        }
        await Task.WhenAny(application.DisposeAsync().AsTask(), Task.Delay(StopGrace)).ConfigureAwait(false);
        logger.LogInformation("Exiting after {Signal}", TerminationSignals.Name(signal));
        return 0;
    }

    /// <summary>Kestrel aborts what is left when the bound passes: how long it gets to do so, and then to dispose.</summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(1);

    public void Dispose() => _transport.Dispose();
}
