using Microsoft.Extensions.Logging;
using Orchestrator.Reboot;

namespace Orchestrator.Hosting;

/// <summary>Parses flags and their environment variables. Every flag has one; a flag wins over its variable.</summary>
internal static class CommandLine
{
    public const string Usage = """
        orchestrator: an MCP task-orchestration server that restarts itself in place.

        Usage:
          orchestrator demo [--http] [--keep DIR] [--json]
                                                 see it work: this binary as a server, driven by a client, restarted
                                                 in place mid-task, on a temporary data directory (removed unless --keep)
          orchestrator [options]                 serve MCP over stdio (the client starts this)
          orchestrator --http [ADDR:]PORT [options]
                                                 serve MCP over Streamable HTTP at http://ADDR:PORT/mcp
          orchestrator config CLIENT             print the snippet that adds this server to an MCP client:
                                                 claude-desktop, claude-code, cursor, vscode, windsurf
          orchestrator doctor                    check the binary, token, data directory, database, snapshots and who can read them; exit 1 on a problem
          orchestrator export [--session ID] [--format json|markdown] [--output FILE]
                                                 the store (or one session) as lossless, versioned JSON or a Markdown
                                                 report, to stdout or FILE (0600)
          orchestrator import FILE [--keep-ids|--new-ids]
                                                 restore a JSON export in one transaction; ids kept by default (refused
                                                 if the store has one), or fresh; a bad file changes nothing (exit 1)
          orchestrator board [--listen [ADDR:]PORT]
                                                 a live task board in the browser for the data directory, read-only, at
                                                 http://ADDR:PORT/board (default 127.0.0.1:8090; --http serves it too)
          orchestrator bench restart [--count N] [--tasks N[,N…]] [--node-reference SCRIPT] [--node PATH]
                                     [--throughput-calls N] [--floor-binary PATH]
                                     [--chart FILE.svg] [--output FILE]
                                                 restart latency beside the exec floor, a cold start and a Node
                                                 MCP server's fresh start; size, idle RSS, pipelined throughput (JSON)
          orchestrator bench tools [--tasks N] [--count M] [--output FILE]
                                                 latency of the orchestration tools over stdio with N tasks stored (JSON)
          orchestrator bench http [--clients N] [--seconds S] [--restarts N] [--restart-pause MS] [--output FILE]
                                                 Streamable HTTP throughput/latency with N clients, restart over HTTP (JSON)
          orchestrator bench agents [--agents N] [--subtasks M] [--output FILE]
                                                 N agents (stdio servers) on one store claiming and completing M subtasks (JSON)
          orchestrator bench board [--tasks N] [--count M] [--output FILE]
                                                 latency of the board's page and API with N tasks stored (JSON)
          orchestrator bench resources [--tasks N] [--count M] [--output FILE]
                                                 latency of resources, prompts and completions over stdio with N tasks (JSON)

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
                               (other local users see a flag in the process list: prefer the variable or a file)
          --auth-token-file F  the same, the token read from file F (mode 0600), again when F changes [ORCHESTRATOR_AUTH_TOKEN_FILE]
          --allow-readable-token-file
                               accept a token file that other users can read [ORCHESTRATOR_ALLOW_READABLE_TOKEN_FILE=1]
          --allowed-origins L  browser origins allowed besides localhost, comma-separated [ORCHESTRATOR_ALLOWED_ORIGINS]
          --shutdown-timeout S on SIGTERM/SIGINT, seconds calls in flight may finish before the server exits (default 5)
                               [ORCHESTRATOR_SHUTDOWN_TIMEOUT]
          --http-max-sessions N           HTTP sessions kept; past N the longest idle is forgotten (default 1000)
                                          [ORCHESTRATOR_HTTP_MAX_SESSIONS]
          --http-session-idle-timeout S   forget an HTTP session idle for S seconds (default 7200)
                                          [ORCHESTRATOR_HTTP_SESSION_IDLE_TIMEOUT]
          --max-line-bytes N              longest stdin message; a longer one is answered with an error and skipped
                                          (default 16777216) [ORCHESTRATOR_MAX_LINE_BYTES]
          --max-pending-answers N         stdin requests read and not yet answered; at N stdin is not read until
                                          answers are written (default 1024) [ORCHESTRATOR_MAX_PENDING_ANSWERS]
          --max-errors-listed N           invalid arguments listed in one answer; the rest are counted (default 100)
                                          [ORCHESTRATOR_MAX_ERRORS_LISTED]
          --version            print the version and exit
          -h, --help           print this help and exit

        Logs never go to stdout: stdout is the MCP channel.
        """;

    /// <summary>What the user's flags and their environment variables set, before it is checked and resolved.</summary>
    private sealed class Settings
    {
        public string? DataDirectory, LogFile, LogLevel, Tools, Http, Token, TokenFile, Origins, ShutdownTimeout, AnswerBudget;
        public string? MaxSessions, SessionIdleTimeout, MaxLineBytes, MaxPendingAnswers, MaxErrorsListed;
        public bool RateLimits = true, AllowRemote, TokenOnCommandLine, AllowExposedTokenFile;
    }

    /// <summary>One user flag: whether it takes a value, what it sets, and whether its value is a secret.</summary>
    private sealed record Flag(bool TakesValue, Action<Settings, string> Set, bool Secret = false);

    /// <summary>
    /// The user's flags, each declared once: a restart hands these to the next image, verbatim (the handover's own flags
    /// are <see cref="Handover"/>'s), except a secret one, which stays out of argv (other users can read argv): its
    /// value crosses the exec in the environment (<see cref="TokenHandover"/>).
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
        ["--auth-token"] = new(true, (s, v) => (s.Token, s.TokenOnCommandLine) = (NotEmpty("--auth-token", v), true), Secret: true),
        ["--auth-token-file"] = new(true, (s, v) => s.TokenFile = NotEmpty("--auth-token-file", v)),
        ["--allow-readable-token-file"] = new(false, (s, _) => s.AllowExposedTokenFile = true),
        ["--allowed-origins"] = new(true, (s, v) => s.Origins = v),
        ["--shutdown-timeout"] = new(true, (s, v) => s.ShutdownTimeout = v),
        ["--http-max-sessions"] = new(true, (s, v) => s.MaxSessions = v),
        ["--http-session-idle-timeout"] = new(true, (s, v) => s.SessionIdleTimeout = v),
        ["--max-line-bytes"] = new(true, (s, v) => s.MaxLineBytes = v),
        ["--max-pending-answers"] = new(true, (s, v) => s.MaxPendingAnswers = v),
        ["--max-errors-listed"] = new(true, (s, v) => s.MaxErrorsListed = v),
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
            AllowExposedTokenFile = environment("ORCHESTRATOR_ALLOW_READABLE_TOKEN_FILE") is "1" or "true" or "yes",
            Origins = environment("ORCHESTRATOR_ALLOWED_ORIGINS"),
            ShutdownTimeout = environment("ORCHESTRATOR_SHUTDOWN_TIMEOUT"),
            MaxSessions = environment("ORCHESTRATOR_HTTP_MAX_SESSIONS"),
            SessionIdleTimeout = environment("ORCHESTRATOR_HTTP_SESSION_IDLE_TIMEOUT"),
            MaxLineBytes = environment("ORCHESTRATOR_MAX_LINE_BYTES"),
            MaxPendingAnswers = environment("ORCHESTRATOR_MAX_PENDING_ANSWERS"),
            MaxErrorsListed = environment("ORCHESTRATOR_MAX_ERRORS_LISTED"),
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
                // Hidden: what a restart asks a binary before it execs it (Reboot/HandoverProbe.cs).
                case HandoverProbe.Flag: return ParsedCommandLine.Exit(0, HandoverProbe.Answer(ServerInfo.Identity));
            }
            if (Checked(() => handover.TryRead(arg, Value))) continue;
            if (Flags.TryGetValue(arg, out var flag))
            {
                var value = flag.TakesValue ? Value() : "";
                flag.Set(settings, value);
                if (flag.Secret) continue;
                restartArgs.Add(arg);
                if (flag.TakesValue) restartArgs.Add(value);
                continue;
            }
            if (arg.StartsWith('-') && rest.Count == 0) throw new CommandLineException($"unknown option {arg}");
            rest.Add(arg);
        }

        var resumed = Checked(handover.Build);
        // Checked even without --http: a bad value is refused, never silently ignored.
        var maxSessions = Count("--http-max-sessions", settings.MaxSessions, Http.HttpOptions.DefaultMaxSessions, 1, 1_000_000);
        var idleSeconds = Count("--http-session-idle-timeout", settings.SessionIdleTimeout,
            (int)Http.HttpOptions.DefaultSessionIdleTimeout.TotalSeconds, 1, 30 * 24 * 3600);
        var options = new ServerOptions
        {
            DataDirectory = Path.GetFullPath(string.IsNullOrEmpty(settings.DataDirectory) ? DefaultDataDirectory(environment) : settings.DataDirectory),
            LogFile = string.IsNullOrEmpty(settings.LogFile) ? null : Path.GetFullPath(settings.LogFile),
            LogLevel = ParseLogLevel(settings.LogLevel),
            RateLimitsEnabled = settings.RateLimits,
            ShutdownTimeout = ParseShutdownTimeout(settings.ShutdownTimeout),
            ToolGroups = Checked(() => ToolSelection.ParseGroups(settings.Tools)),
            AnswerBudget = ParseAnswerBudget(settings.AnswerBudget),
            RestartArguments = restartArgs,
            Handover = resumed,
            Token = TokenSourceOf(settings, resumed is null ? null : environment(TokenHandover.FileTokenVariable)),
            AllowRemote = settings.AllowRemote,
            Http = string.IsNullOrEmpty(settings.Http) ? null : new Http.HttpOptions
            {
                EndPoint = Checked(() => Http.HttpOptions.ParseEndPoint(settings.Http, settings.AllowRemote)),
                AllowedOrigins = (settings.Origins ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                MaxSessions = maxSessions,
                SessionIdleTimeout = TimeSpan.FromSeconds(idleSeconds),
            },
            Stdio = new Transport.StdioLimits
            {
                // Below 1 KiB an ordinary initialize would not fit; at most 1 GiB (one buffer holds a line).
                MaxLineBytes = Count("--max-line-bytes", settings.MaxLineBytes, Transport.StdinFrameReader.DefaultMaxFrameBytes, 1024, 1 << 30),
                MaxPendingAnswers = Count("--max-pending-answers", settings.MaxPendingAnswers, Transport.StdioLimits.DefaultMaxPendingAnswers, 1, 1_000_000),
            },
            MaxErrorsListed = Count("--max-errors-listed", settings.MaxErrorsListed, Tooling.ArgumentErrors.DefaultMaxListed, 1, 100_000),
        };
        return new ParsedCommandLine(options, rest.ToArray(), null, null);
    }

    /// <summary>Where the token comes from: a value wins over a file (as before either could be given); null without one.</summary>
    private static Http.TokenSource? TokenSourceOf(Settings settings, string? handedOver)
    {
        if (!string.IsNullOrEmpty(settings.Token))
            return new Http.TokenSource(settings.Token, settings.TokenOnCommandLine, null, settings.AllowExposedTokenFile, null);
        if (!string.IsNullOrEmpty(settings.TokenFile))
            return new Http.TokenSource(null, false, Path.GetFullPath(settings.TokenFile), settings.AllowExposedTokenFile,
                string.IsNullOrEmpty(handedOver) ? null : handedOver);
        return null;
    }

    /// <summary>An empty value given on purpose is a mistake (an unset shell variable?), never "no token".</summary>
    private static string NotEmpty(string flag, string value) =>
        value.Length > 0 ? value : throw new CommandLineException($"{flag} needs a non-empty value");

    /// <summary>A whole number between <paramref name="min"/> and <paramref name="max"/> given to <paramref name="flag"/> (or its variable); unset: the default.</summary>
    private static int Count(string flag, string? text, int byDefault, int min, int max)
    {
        if (string.IsNullOrEmpty(text)) return byDefault;
        if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw new CommandLineException($"{flag}: '{text}' is not a whole number from {min} to {max}");
        return value;
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

    /// <summary>Seconds, 0 to 3600 (fractions allowed): how long calls in flight may finish once a termination signal arrived.</summary>
    private static TimeSpan ParseShutdownTimeout(string? text)
    {
        if (string.IsNullOrEmpty(text)) return ShutdownRequest.DefaultBound;
        if (!double.TryParse(text, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            || seconds > 3600)
            throw new CommandLineException($"--shutdown-timeout: '{text}' is not a number of seconds from 0 to 3600");
        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>Characters of text, the budget every task tool's answer stays within.</summary>
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
