using System.Net;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Orchestrator.Board;
using Orchestrator.Hosting;
using Orchestrator.Http;

namespace Orchestrator.Cli;

/// <summary>
/// <c>orchestrator board [--listen [ADDR:]PORT]</c>: serves the live task board of a data directory, read-only, beside
/// whatever servers use it. The loopback unless an address is given with <c>--http-allow-remote</c>, and the same token
/// (<c>--auth-token</c>, <c>--auth-token-file</c>) and Origin rules as <c>--http</c>. SIGINT/SIGTERM end it.
/// </summary>
internal static class BoardCommand
{
    public const string DefaultListen = "127.0.0.1:8090";

    public static async Task<int> RunAsync(string[] args, ServerOptions options)
    {
        var listen = DefaultListen;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--listen" && i + 1 < args.Length) listen = args[++i];
            else return Usage($"board: unexpected '{args[i]}'");
        }
        IPEndPoint endPoint;
        try
        {
            endPoint = HttpOptions.ParseEndPoint(listen, options.AllowRemote);
        }
        catch (FormatException ex)
        {
            return Usage("board " + ex.Message.Replace("--http:", "--listen:", StringComparison.Ordinal));
        }

        using var log = new ServerLog(options);
        var logger = log.CreateLogger("Orchestrator.Board");
        BearerToken? token;
        try
        {
            token = BearerToken.Open(options.Token, static _ => { }, logger);
        }
        catch (FormatException ex)
        {
            await Console.Error.WriteLineAsync($"orchestrator: {ex.Message}");
            return 1;
        }
        if (!IPAddress.IsLoopback(endPoint.Address) && token is null)
            logger.LogWarning("The board is served beyond this machine without a token: anyone who can reach {EndPoint} sees every task", endPoint);

        var httpOptions = new HttpOptions
        {
            EndPoint = endPoint,
            Token = token,
            AllowedOrigins = options.Http?.AllowedOrigins ?? AllowedOrigins(),
        };
        var streams = new EventStreamStop();
        var board = new BoardEndpoint(new BoardStore(options.DataDirectory), new BoardGuard(httpOptions), () => streams.Token, TimeProvider.System);
        using var stop = new CancellationTokenSource();
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            streams.EndAll();
            stop.Cancel();
        }
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        return await BoardServer.RunAsync(endPoint, board, log, stop.Token);
    }

    /// <summary>--allowed-origins (or its variable) reaches the server's options only with --http: read it here for the board.</summary>
    private static string[] AllowedOrigins() =>
        (Environment.GetEnvironmentVariable("ORCHESTRATOR_ALLOWED_ORIGINS") ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static int Usage(string message)
    {
        Console.Error.WriteLine($"orchestrator: {message}\nUsage: orchestrator board [--data-dir DIR] [--listen [ADDR:]PORT]");
        return 2;
    }
}
