using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Server;
using Orchestrator.Hosting;

namespace Orchestrator.Http;

/// <summary>
/// Serves MCP over Streamable HTTP: the SDK's endpoint on Kestrel's slim host, fed by our own connection listener
/// (inherited sockets, freezable connections). 2025-11-25 clients get sessions (<c>initialize</c>,
/// <c>Mcp-Session-Id</c>); 2026-07-28 clients (<c>server/discover</c>) are served statelessly, with the same tools.
/// </summary>
internal static class HttpServerHost
{
    /// <summary>
    /// Builds and starts the web application, on its own thread while the store opens (the request gate holds requests
    /// until it is open). Null when Kestrel could not start (logged).
    /// </summary>
    public static WebApplication? Start(ServerRuntime runtime, HttpServing http, McpServerOptions serverOptions)
    {
        var app = Build(runtime, http, serverOptions);
        var started = Stopwatch.GetTimestamp();
        try
        {
            app.StartAsync().GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            runtime.Logger.LogCritical("Cannot start serving HTTP: {Message}", ex.Message);
            return null;
        }
        runtime.Logger.LogDebug("HTTP host started in {Milliseconds:F2} ms", Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        runtime.Logger.LogInformation("Serving MCP over Streamable HTTP at http://{EndPoint}{Path}", http.Listener.EndPoint, HttpOptions.EndpointPath);
        return app;
    }

    private static WebApplication Build(ServerRuntime runtime, HttpServing http, McpServerOptions serverOptions)
    {
        var started = Stopwatch.GetTimestamp();
        // The empty builder: no configuration files or providers to read, no hosting extras; only what serving needs.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore();
        builder.Services.AddRoutingCore();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new LoggingHostProvider(runtime.Logging));
        builder.Logging.SetMinimumLevel(runtime.Options.LogLevel);
        // Kestrel, hosting and the SDK narrate every request at Information: keep the log for what matters.
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter("ModelContextProtocol", LogLevel.Warning);

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
                options.ToolCollection = serverOptions.ToolCollection;
            })
            .WithHttpTransport(transport =>
            {
                transport.SessionMode = HttpServerSessionMode.StatefulForInitializeClients;
#pragma warning disable MCP9006 // sessions are kept for 2025-11-25 clients on purpose, and must survive restarts
                transport.SessionMigrationHandler = http.Sessions;
#pragma warning restore MCP9006
            });

        var app = builder.Build();
        var gate = new HttpRequestGate(http);
        app.Use(gate.InvokeAsync);
        app.MapMcp(HttpOptions.EndpointPath);
        runtime.Logger.LogDebug("HTTP host built in {Milliseconds:F2} ms", Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return app;
    }

    /// <summary>Serves until SIGTERM/SIGINT, then checkpoints the store.</summary>
    public static async Task<int> ServeAsync(ServerRuntime runtime, WebApplication? app)
    {
        if (app is null) return 1;
        await using var _ = app;
        await app.WaitForShutdownAsync().ConfigureAwait(false);
        runtime.Logger.LogInformation("Shutting down");
        runtime.Database?.Checkpoint();
        return 0;
    }

    /// <summary>Routes ASP.NET Core's logs to the server's log sink (stderr or the log file), never stdout.</summary>
    private sealed class LoggingHostProvider(LoggingHost logging) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => logging.CreateLogger(categoryName);
        public void Dispose() { }
    }
}
