using Microsoft.Extensions.Logging;
using Orchestrator.Reboot;

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
          --answer-budget N    longest task tool answer, in characters (default 20000, at least 8000); longer ones are cut,
                               saying where to read the rest [ORCHESTRATOR_ANSWER_BUDGET]
          --http [ADDR:]PORT   serve Streamable HTTP instead of stdio; ADDR defaults to 127.0.0.1 [ORCHESTRATOR_HTTP]
          --http-allow-remote  allow binding a non-loopback ADDR (e.g. 0.0.0.0 in a container) [ORCHESTRATOR_HTTP_ALLOW_REMOTE=1]
          --auth-token TOKEN   require "Authorization: Bearer TOKEN" on every HTTP request [ORCHESTRATOR_AUTH_TOKEN]
          --auth-token-file F  the same, with the token read from file F [ORCHESTRATOR_AUTH_TOKEN_FILE]
          --allowed-origins L  browser origins allowed besides localhost, comma-separated [ORCHESTRATOR_ALLOWED_ORIGINS]
          --version            print the version and exit
          -h, --help           print this help and exit

        Logs never go to stdout: stdout is the MCP channel.
        """;

    /// <summary>What the user's flags and their environment variables set, before it is checked and resolved.</summary>
    private sealed class Settings
    {
        public string? DataDirectory, LogFile, LogLevel, Tools, Http, Token, TokenFile, Origins, AnswerBudget;
        public bool RateLimits = true, AllowRemote;
    }

    /// <summary>One user flag: whether it takes a value, and what it sets.</summary>
    private sealed record Flag(bool TakesValue, Action<Settings, string> Set);

    /// <summary>
    /// The user's flags, each declared once: a restart hands exactly these to the next image, verbatim (the handover's
    /// own flags are <see cref="Handover"/>'s).
    /// </summary>
    private static readonly Dictionary<string, Flag> Flags = new(StringComparer.Ordinal)
    {
        ["--data-dir"] = new(true, (s, v) => s.DataDirectory = v),
        ["--log-file"] = new(true, (s, v) => s.LogFile = v),
        ["--log-level"] = new(true, (s, v) => s.LogLevel = v),
        ["--no-rate-limits"] = new(false, (s, _) => s.RateLimits = false),
        ["--tools"] = new(true, (s, v) => s.Tools = v),
        ["--answer-budget"] = new(true, (s, v) => s.AnswerBudget = v),
        ["--http"] = new(true, (s, v) => s.Http = v),
        ["--http-allow-remote"] = new(false, (s, _) => s.AllowRemote = true),
        ["--auth-token"] = new(true, (s, v) => s.Token = v),
        ["--auth-token-file"] = new(true, (s, v) => s.TokenFile = v),
        ["--allowed-origins"] = new(true, (s, v) => s.Origins = v),
    };

    public static ParsedCommandLine Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        var settings = new Settings
        {
            DataDirectory = environment("ORCHESTRATOR_DATA_DIR"),
            LogFile = environment("ORCHESTRATOR_LOG_FILE"),
            LogLevel = environment("ORCHESTRATOR_LOG_LEVEL"),
            RateLimits = !string.Equals(environment("ORCHESTRATOR_RATE_LIMITS"), "off", StringComparison.OrdinalIgnoreCase),
            Tools = environment("ORCHESTRATOR_TOOLS"),
            AnswerBudget = environment("ORCHESTRATOR_ANSWER_BUDGET"),
            Http = environment("ORCHESTRATOR_HTTP"),
            AllowRemote = environment("ORCHESTRATOR_HTTP_ALLOW_REMOTE") is "1" or "true" or "yes",
            Token = environment("ORCHESTRATOR_AUTH_TOKEN"),
            TokenFile = environment("ORCHESTRATOR_AUTH_TOKEN_FILE"),
            Origins = environment("ORCHESTRATOR_ALLOWED_ORIGINS"),
        };
        var handover = new Handover.Reader();
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
            }
            if (Checked(() => handover.TryRead(arg, Value))) continue;
            if (Flags.TryGetValue(arg, out var flag))
            {
                var value = flag.TakesValue ? Value() : "";
                flag.Set(settings, value);
                restartArgs.Add(arg);
                if (flag.TakesValue) restartArgs.Add(value);
                continue;
            }
            if (arg.StartsWith('-') && rest.Count == 0) throw new CommandLineException($"unknown option {arg}");
            rest.Add(arg);
        }

        var options = new ServerOptions
        {
            DataDirectory = Path.GetFullPath(string.IsNullOrEmpty(settings.DataDirectory) ? DefaultDataDirectory(environment) : settings.DataDirectory),
            LogFile = string.IsNullOrEmpty(settings.LogFile) ? null : Path.GetFullPath(settings.LogFile),
            LogLevel = ParseLogLevel(settings.LogLevel),
            RateLimitsEnabled = settings.RateLimits,
            ToolGroups = Checked(() => ToolSelection.ParseGroups(settings.Tools)),
            AnswerBudget = ParseAnswerBudget(settings.AnswerBudget),
            RestartArguments = restartArgs,
            Handover = Checked(handover.Build),
            Http = string.IsNullOrEmpty(settings.Http) ? null : new Http.HttpOptions
            {
                EndPoint = Checked(() => Http.HttpOptions.ParseEndPoint(settings.Http, settings.AllowRemote)),
                Token = Checked(() => Http.HttpOptions.ResolveToken(settings.Token, settings.TokenFile)),
                AllowedOrigins = (settings.Origins ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            },
        };
        return new ParsedCommandLine(options, rest.ToArray(), null, null);
    }

    private static LogLevel ParseLogLevel(string? text) => text?.ToLowerInvariant() switch
    {
        null => LogLevel.Information,
        "trace" => LogLevel.Trace,
        "debug" => LogLevel.Debug,
        "information" => LogLevel.Information,
        "warning" => LogLevel.Warning,
        "error" => LogLevel.Error,
        "critical" => LogLevel.Critical,
        "none" => LogLevel.None,
        _ => throw new CommandLineException($"unknown log level '{text}' (use trace, debug, information, warning, error, critical or none)"),
    };

    private static int ParseAnswerBudget(string? text)
    {
        if (string.IsNullOrEmpty(text)) return Orchestration.Answers.AnswerBudget.Default;
        if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var budget)
            || budget < Orchestration.Answers.AnswerBudget.Minimum || budget > Orchestration.Answers.AnswerBudget.Maximum)
            throw new CommandLineException($"answer budget '{text}' must be a whole number of characters from {Orchestration.Answers.AnswerBudget.Minimum} to {Orchestration.Answers.AnswerBudget.Maximum}");
        return budget;
    }

    /// <summary>Runs a parser of a flag's value (they throw <see cref="FormatException"/>) and reports its refusal as a command-line error.</summary>
    private static T Checked<T>(Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (FormatException ex)
        {
            throw new CommandLineException(ex.Message);
        }
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
