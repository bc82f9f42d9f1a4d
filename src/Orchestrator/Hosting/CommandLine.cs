using Microsoft.Extensions.Logging;

namespace Orchestrator.Hosting;

/// <summary>Parses flags and their environment variables. Every flag has one; a flag wins over its variable.</summary>
internal static class CommandLine
{
    public const string Usage = """
        orchestrator: an MCP task-orchestration server that restarts itself in place.

        Usage:
          orchestrator [options]                 serve MCP over stdio (the client starts this)
          orchestrator --http [ADDR:]PORT [options]
                                                 serve MCP over Streamable HTTP at http://ADDR:PORT/mcp
          orchestrator config CLIENT             print the snippet that adds this server to an MCP client:
                                                 claude-desktop, claude-code, cursor, vscode, windsurf
          orchestrator doctor                    check the binary, data directory, database and snapshots; exit 1 on a problem
          orchestrator bench restart [--count N] [--tasks N[,N…]] [--node-reference SCRIPT] [--node PATH]
                                     [--throughput-calls N] [--floor-binary PATH]
                                     [--chart FILE.svg] [--output FILE]
                                                 restart latency beside the exec floor, a cold start and a Node
                                                 MCP server's fresh start; size, idle RSS, pipelined throughput (JSON)
          orchestrator bench tools [--tasks N] [--count M] [--output FILE]
                                                 latency of the orchestration tools over stdio with N tasks stored (JSON)
          orchestrator bench http [--clients N] [--seconds S] [--restarts N] [--output FILE]
                                                 Streamable HTTP throughput/latency with N clients, restart over HTTP (JSON)

        Options (environment variable in brackets):
          --data-dir DIR       where the SQLite store and restart snapshots live [ORCHESTRATOR_DATA_DIR]
                               default: $XDG_DATA_HOME/orchestrator, else ~/.local/share/orchestrator
          --log-file FILE      write logs to FILE instead of stderr [ORCHESTRATOR_LOG_FILE]
          --log-level LEVEL    trace, debug, information, warning, error, critical or none [ORCHESTRATOR_LOG_LEVEL]
          --no-rate-limits     lift the per-client rate limits, e.g. for benchmarks [ORCHESTRATOR_RATE_LIMITS=off]
          --tools GROUPS       serve only these tool groups, comma-separated: reboot, tasks (default: all) [ORCHESTRATOR_TOOLS]
          --http [ADDR:]PORT   serve Streamable HTTP instead of stdio; ADDR defaults to 127.0.0.1 [ORCHESTRATOR_HTTP]
          --http-allow-remote  allow binding a non-loopback ADDR (e.g. 0.0.0.0 in a container) [ORCHESTRATOR_HTTP_ALLOW_REMOTE=1]
          --auth-token TOKEN   require "Authorization: Bearer TOKEN" on every HTTP request [ORCHESTRATOR_AUTH_TOKEN]
          --auth-token-file F  the same, with the token read from file F [ORCHESTRATOR_AUTH_TOKEN_FILE]
          --allowed-origins L  browser origins allowed besides localhost, comma-separated [ORCHESTRATOR_ALLOWED_ORIGINS]
          --version            print the version and exit
          -h, --help           print this help and exit

        Logs never go to stdout: stdout is the MCP channel.
        """;

    public static ParsedCommandLine Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        string? dataDir = environment("ORCHESTRATOR_DATA_DIR");
        string? logFile = environment("ORCHESTRATOR_LOG_FILE");
        var logLevelText = environment("ORCHESTRATOR_LOG_LEVEL");
        var rateLimits = !string.Equals(environment("ORCHESTRATOR_RATE_LIMITS"), "off", StringComparison.OrdinalIgnoreCase);
        var tools = environment("ORCHESTRATOR_TOOLS");
        var http = environment("ORCHESTRATOR_HTTP");
        var allowRemote = environment("ORCHESTRATOR_HTTP_ALLOW_REMOTE") is "1" or "true" or "yes";
        var token = environment("ORCHESTRATOR_AUTH_TOKEN");
        var tokenFile = environment("ORCHESTRATOR_AUTH_TOKEN_FILE");
        var origins = environment("ORCHESTRATOR_ALLOWED_ORIGINS");
        var handover = new Http.HttpHandoverArguments();
        string? resume = null, resumeRequest = null;
        var restartArgs = new List<string>();
        var rest = new List<string>();

        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string Value()
            {
                if (i + 1 >= args.Count) throw new CommandLineException($"{arg} needs a value");
                return args[++i];
            }
            switch (arg)
            {
                case "-h" or "--help": return ParsedCommandLine.Exit(0, Usage);
                case "--version": return ParsedCommandLine.Exit(0, $"{ServerInfo.Name} {ServerInfo.Version}");
                case "--resume": resume = Value(); continue;
                case "--resume-request": resumeRequest = Value(); continue;
                case Http.HttpHandoverArguments.ListenFlag: handover.ListenFd = FileDescriptor(arg, Value()); continue;
                case Http.HttpHandoverArguments.ConnectionsFlag: handover.ConnectionFds = FileDescriptors(arg, Value()); continue;
                case Http.HttpHandoverArguments.PendingFlag: handover.PendingFd = FileDescriptor(arg, Value()); continue;
                case Http.HttpHandoverArguments.PendingStreamFlag: handover.PendingStream = true; continue;
                case "--http": http = Value(); break;
                case "--http-allow-remote": allowRemote = true; break;
                case "--auth-token": token = Value(); break;
                case "--auth-token-file": tokenFile = Value(); break;
                case "--allowed-origins": origins = Value(); break;
                case "--data-dir": dataDir = Value(); break;
                case "--log-file": logFile = Value(); break;
                case "--log-level": logLevelText = Value(); break;
                case "--no-rate-limits": rateLimits = false; break;
                case "--tools": tools = Value(); break;
                default:
                    if (arg.StartsWith('-') && rest.Count == 0) throw new CommandLineException($"unknown option {arg}");
                    rest.Add(arg);
                    continue;
            }
            restartArgs.Add(arg);
            if (arg is "--data-dir" or "--log-file" or "--log-level" or "--tools" or "--http" or "--auth-token" or "--auth-token-file" or "--allowed-origins")
                restartArgs.Add(args[i]);
        }

        var logLevel = logLevelText?.ToLowerInvariant() switch
        {
            null => LogLevel.Information,
            "trace" => LogLevel.Trace,
            "debug" => LogLevel.Debug,
            "information" => LogLevel.Information,
            "warning" => LogLevel.Warning,
            "error" => LogLevel.Error,
            "critical" => LogLevel.Critical,
            "none" => LogLevel.None,
            _ => throw new CommandLineException($"unknown log level '{logLevelText}' (use trace, debug, information, warning, error, critical or none)"),
        };

        var options = new ServerOptions
        {
            DataDirectory = Path.GetFullPath(string.IsNullOrEmpty(dataDir) ? DefaultDataDirectory(environment) : dataDir),
            LogFile = string.IsNullOrEmpty(logFile) ? null : Path.GetFullPath(logFile),
            LogLevel = logLevel,
            RateLimitsEnabled = rateLimits,
            ToolGroups = ParseToolGroups(tools),
            RestartArguments = restartArgs,
            ResumeSnapshot = resume,
            ResumeRequestId = resumeRequest,
            Http = string.IsNullOrEmpty(http) ? null : new Http.HttpOptions
            {
                EndPoint = Http.HttpOptions.ParseEndPoint(http, allowRemote),
                Token = Http.HttpOptions.ResolveToken(token, tokenFile),
                AllowedOrigins = (origins ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            },
            HttpHandover = handover,
        };
        return new ParsedCommandLine(options, rest.ToArray(), null, null);
    }

    private static int FileDescriptor(string flag, string text) =>
        int.TryParse(text, out var fd) && fd > 2 ? fd : throw new CommandLineException($"{flag}: '{text}' is not a file descriptor");

    private static int[] FileDescriptors(string flag, string text) =>
        text.Length == 0 ? [] : [.. text.Split(',').Select(part => FileDescriptor(flag, part))];

    /// <summary>The tool groups to serve (null: all). Clients that pay per listed tool can keep the list short.</summary>
    private static IReadOnlySet<string>? ParseToolGroups(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Trim() == "all") return null;
        var known = Tooling.GeneratedTools.All.Select(t => t.Group).Where(g => g != "test").ToHashSet(StringComparer.Ordinal);
        var groups = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        var unknown = groups.Where(g => !known.Contains(g)).Order(StringComparer.Ordinal).ToArray();
        if (unknown.Length > 0 || groups.Count == 0)
            throw new CommandLineException($"unknown tool group '{string.Join(",", unknown)}' (use {string.Join(", ", known.Order(StringComparer.Ordinal))} or all)");
        return groups;
    }

    /// <summary>XDG base directories: <c>$XDG_DATA_HOME/orchestrator</c>, else <c>~/.local/share/orchestrator</c>.</summary>
    public static string DefaultDataDirectory(Func<string, string?> environment)
    {
        var xdg = environment("XDG_DATA_HOME");
        if (!string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg)) return Path.Combine(xdg, "orchestrator");
        var home = environment("HOME");
        if (string.IsNullOrEmpty(home)) home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".local", "share", "orchestrator");
    }
}

/// <summary>Server options plus a subcommand's words, or an immediate exit (help, version).</summary>
internal sealed record ParsedCommandLine(ServerOptions? Options, string[] Subcommand, int? ExitCode, string? Output)
{
    public static ParsedCommandLine Exit(int code, string output) => new(null, [], code, output);
}

internal sealed class CommandLineException(string message) : Exception(message);
