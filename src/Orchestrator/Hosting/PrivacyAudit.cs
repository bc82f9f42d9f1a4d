using System.Net;
using Microsoft.Extensions.Logging;
using Orchestrator.Storage;

namespace Orchestrator.Hosting;

/// <summary>
/// What would let other users at the server's data, found without changing anything: store files and directories
/// whose mode lets them in (created so by the user, or by an older release; this server never changes a mode it did
/// not set), and a configuration that exposes the data or the token. <c>doctor</c> lists each with its fix; a server
/// logs them once, at a cold start.
/// </summary>
internal static class PrivacyAudit
{
    /// <summary>The data directory, the snapshot directory, the store's files and the log file, those that others can get into.</summary>
    public static IReadOnlyList<Exposure> Exposures(ServerOptions options)
    {
        List<string> paths =
        [
            options.DataDirectory,
            options.SnapshotDirectory,
            options.DatabasePath,
            options.DatabasePath + "-wal",
            options.DatabasePath + "-shm",
            options.DatabasePath + "-journal",
        ];
        if (options.LogFile is { } log) paths.Add(log);
        return [.. paths.Select(PrivateFiles.Exposure).OfType<Exposure>()];
    }

    /// <summary>Settings that give the data or the token away: what they concern (token, http) and a sentence with the remedy.</summary>
    public static IReadOnlyList<(string Subject, string Risk)> ConfigurationRisks(ServerOptions options)
    {
        var risks = new List<(string, string)>();
        if (options.Token is { ValueOnCommandLine: true })
            risks.Add(("token", "--auth-token puts the token in the command line, which every local user can read (ps, /proc/PID/cmdline) " +
                      "until the first restart: pass it in ORCHESTRATOR_AUTH_TOKEN or --auth-token-file FILE (mode 0600) instead"));
        if (options.Http is { } http && !IPAddress.IsLoopback(http.EndPoint.Address) && options.Token is null)
            risks.Add(("http", $"HTTP on {http.EndPoint} is reachable beyond this machine without a token: anyone who can connect can read " +
                      "and change every task; set --auth-token-file FILE (mode 0600) or ORCHESTRATOR_AUTH_TOKEN"));
        return risks;
    }

    /// <summary>At a cold start: one warning for the files others can get into, one per risky setting.</summary>
    public static void LogAtStart(ServerOptions options, ILogger logger)
    {
        var exposures = Exposures(options);
        if (exposures.Count > 0)
            logger.LogWarning("Other users can get at this server's data: {Exposures}. This server creates its files 0600 and its " +
                              "directories 0700 but does not change what exists; fix: {Fixes}",
                string.Join("; ", exposures.Select(e => $"{e.Path}: {e.Finding}")), string.Join(" && ", exposures.Select(e => e.Fix)));
        foreach (var (_, risk) in ConfigurationRisks(options)) logger.LogWarning("{Risk}", risk);
    }
}
