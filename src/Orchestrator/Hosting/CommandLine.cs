using Microsoft.Extensions.Logging;

namespace Orchestrator.Hosting;

/// <summary>Parses flags and their environment variables. Every flag has one; a flag wins over its variable.</summary>
internal static class CommandLine
{
    public const string Usage = """
        orchestrator: an MCP task-orchestration server that restarts itself in place.

        Usage:
          orchestrator [options]                 serve MCP over stdio (the client starts this)
          orchestrator config CLIENT             print the snippet that adds this server to an MCP client:
                                                 claude-desktop, claude-code, cursor, vscode, windsurf
          orchestrator doctor                    check the binary, data directory, database and snapshots; exit 1 on a problem
          orchestrator bench restart [--count N] [--tasks N[,N…]] [--node-reference SCRIPT] [--node PATH]
                                     [--throughput-calls N] [--chart FILE.svg] [--output FILE]
                                                 restart latency beside the exec floor, a cold start and a Node
                                                 MCP server's fresh start; size, idle RSS, pipelined throughput (JSON)
          orchestrator bench tools [--tasks N] [--count M] [--output FILE]
                                                 latency of the orchestration tools over stdio with N tasks stored (JSON)

        Options (environment variable in brackets):
          --data-dir DIR       where the SQLite store and restart snapshots live [ORCHESTRATOR_DATA_DIR]
                               default: $XDG_DATA_HOME/orchestrator, else ~/.local/share/orchestrator
          --log-file FILE      write logs to FILE instead of stderr [ORCHESTRATOR_LOG_FILE]
          --log-level LEVEL    trace, debug, information, warning, error, critical or none [ORCHESTRATOR_LOG_LEVEL]
          --no-rate-limits     lift the per-client rate limits, e.g. for benchmarks [ORCHESTRATOR_RATE_LIMITS=off]
          --tools GROUPS       serve only these tool groups, comma-separated: reboot, tasks (default: all) [ORCHESTRATOR_TOOLS]
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
            if (arg is "--data-dir" or "--log-file" or "--log-level" or "--tools") restartArgs.Add(args[i]);
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
        };
        return new ParsedCommandLine(options, rest.ToArray(), null, null);
    }

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
