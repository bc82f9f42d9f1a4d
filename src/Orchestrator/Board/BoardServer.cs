using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Orchestrator.Board;

/// <summary>
/// <c>orchestrator board</c>: the board alone on Kestrel's slim host, for a data directory that stdio servers use
/// (they serve no HTTP). Everything but <c>/board</c> is redirected to it.
/// </summary>
internal static class BoardServer
{
    /// <summary>Serves until <paramref name="stop"/> is cancelled; 1 when the address cannot be bound (logged).</summary>
    public static async Task<int> RunAsync(IPEndPoint endPoint, BoardEndpoint board, ILoggerFactory logging, CancellationToken stop)
    {
        var logger = logging.CreateLogger("Orchestrator.Board");
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(endPoint);
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new ForwardingLoggerProvider(logging));
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Services.AddSingleton<IHostLifetime, NoHostLifetime>();
        var app = builder.Build();
        app.Run(context =>
        {
            if (context.Request.Path.StartsWithSegments(BoardEndpoint.Prefix)) return board.HandleAsync(context);
            context.Response.StatusCode = 303;
            context.Response.Headers.Location = BoardEndpoint.Prefix;
            return Task.CompletedTask;
        });
        try
        {
            await app.StartAsync(stop);
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            logger.LogCritical("Cannot serve the board at {EndPoint}: {Message}", endPoint, ex.Message);
            return 1;
        }
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? $"http://{endPoint}";
        logger.LogInformation("Serving the board of {DataDirectory} at {Address}{Path}", board.Store.DataDirectory, address, BoardEndpoint.Prefix);
        try
        {
            await Task.Delay(Timeout.Infinite, stop);
        }
        catch (OperationCanceledException)
        {
        }
        logger.LogInformation("Stopping the board");
        await app.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return 0;
    }

    private sealed class NoHostLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class ForwardingLoggerProvider(ILoggerFactory logging) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => logging.CreateLogger(categoryName);
        public void Dispose() { }
    }
}
