using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Server;

namespace Orchestrator.Http;

/// <summary>
/// The ASP.NET Core application that serves MCP over Streamable HTTP: the SDK's endpoint on Kestrel's slim host, fed by
/// our own connection listener (inherited sockets, freezable connections). 2025-11-25 clients get sessions
/// (<c>initialize</c>, <c>Mcp-Session-Id</c>); 2026-07-28 clients (<c>server/discover</c>) are served statelessly, with the
/// same tools.
/// </summary>
internal static class HttpApplication
{
    /// <summary>
    /// Builds and starts the application (the host calls this on its own thread while the store opens: the request gate
    /// holds requests until it is open). Null when Kestrel could not start (logged).
    /// </summary>
    /// <param name="shutdownTimeout">How long Kestrel lets requests in flight finish when the server stops, before it aborts them.</param>
    /// <param name="sessionStreams">What serves the sessions' standalone event streams (GET).</param>
    /// <param name="board">What serves <c>/board</c> (the task board, with its own token check), or null.</param>
    public static WebApplication? Start(HttpTransport http, McpServerOptions serverOptions, ILoggerFactory logging, LogLevel logLevel,
        TimeSpan shutdownTimeout, SessionEventStreams sessionStreams, RequestDelegate? board = null)
    {
        var logger = logging.CreateLogger("Orchestrator.Http");
        var app = Build(http, serverOptions, logging, logLevel, shutdownTimeout, logger, sessionStreams, board);
        var started = Stopwatch.GetTimestamp();
        try
        {
            app.StartAsync().GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or System.Net.Sockets.SocketException or OperationCanceledException)
        {
            logger.LogCritical("Cannot start serving HTTP: {Message}", ex.Message);
            return null;
        }
        logger.LogDebug("HTTP application started in {Milliseconds:F2} ms", Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        logger.LogInformation("Serving MCP over Streamable HTTP at http://{EndPoint}{Path}", http.Listener.EndPoint, HttpOptions.EndpointPath);
        return app;
    }

    private static WebApplication Build(HttpTransport http, McpServerOptions serverOptions, ILoggerFactory logging, LogLevel logLevel,
        TimeSpan shutdownTimeout, ILogger logger, SessionEventStreams sessionStreams, RequestDelegate? board)
    {
        var started = Stopwatch.GetTimestamp();
        // The empty builder: no configuration files or providers to read, no hosting extras; only what serving needs.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore();
        builder.Services.AddRoutingCore();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new ForwardingLoggerProvider(logging));
        builder.Logging.SetMinimumLevel(logLevel);
        // Kestrel, hosting and the SDK narrate every request at Information: keep the log for what matters.
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter("ModelContextProtocol", LogLevel.Warning);

        // Termination signals are the server's own (Reboot/TerminationSignals): the host must not handle them, least of all
        // while Kestrel starts (a signal then used to cancel its bind and abort the process). It stops when told to.
        builder.Services.AddSingleton<IHostLifetime, StoppedByTheServer>();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = shutdownTimeout);
        builder.Services.AddSingleton<IConnectionListenerFactory, HandoverListenerFactory>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(new HandoverEndPoint(http.Listener));
        });
        builder.Services
            .AddMcpServer(options =>
            {
                options.ServerInfo = serverOptions.ServerInfo;
                options.ServerInstructions = serverOptions.ServerInstructions;
                // Each tool counted until answered, connection or not, so that a restart waits for answers a client will resume.
                options.ToolCollection = [.. (serverOptions.ToolCollection ?? []).Select(tool => new CountedTool(tool, http.Calls))];
                options.Filters.Message.OutgoingFilters.Add(http.Calls.AnswerFilter);
                options.Filters.Message.OutgoingFilters.Add(StatelessCapabilities.Filter);
                options.Capabilities = serverOptions.Capabilities;
                options.Handlers = serverOptions.Handlers;
            })
            .WithHttpTransport(transport =>
            {
                transport.SessionMode = HttpServerSessionMode.StatefulForInitializeClients;
#pragma warning disable MCP9006 // sessions are kept for 2025-11-25 clients on purpose, and must survive restarts
                transport.SessionMigrationHandler = http.Sessions;
                // The SDK's own sessions are bounded like ours (HttpSessionCatalog), which decides what a session id is worth.
                transport.IdleTimeout = http.Options.SessionIdleTimeout;
                transport.MaxIdleSessionCount = http.Options.MaxSessions;
                // Resumable response streams: a priming event with an id and the retry field first, every event with an id,
                // and GET with Last-Event-ID replays what a cut stream missed (SseEventStore), across restarts too.
                transport.EventStreamStore = http.EventStreams;
#pragma warning restore MCP9006
            });

        var app = builder.Build();
        var gate = new HttpRequestGate(http, logger, sessionStreams, board);
        app.Use(gate.InvokeAsync);
        app.MapMcp(HttpOptions.EndpointPath);
        logger.LogDebug("HTTP application built in {Milliseconds:F2} ms", Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return app;
    }

    /// <summary>The host's lifetime: nothing to wait for at start, nothing to do at stop; the server decides when to stop.</summary>
    private sealed class StoppedByTheServer : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>Routes ASP.NET Core's logs to the server's log sink (stderr or the log file), never stdout.</summary>
    private sealed class ForwardingLoggerProvider(ILoggerFactory logging) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => logging.CreateLogger(categoryName);
        public void Dispose() { }
    }
}
