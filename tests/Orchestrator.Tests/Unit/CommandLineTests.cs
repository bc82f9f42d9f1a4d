using Microsoft.Extensions.Logging;
using Orchestrator.Hosting;

namespace Orchestrator.Tests.Unit;

/// <summary>Flags, their environment variables and the XDG default, parsed against a fake environment.</summary>
public class CommandLineTests
{
    private static Func<string, string?> Env(params (string Key, string Value)[] vars)
    {
        var map = vars.ToDictionary(v => v.Key, v => v.Value);
        return key => map.GetValueOrDefault(key);
    }

    private static readonly Func<string, string?> HomeOnly = Env(("HOME", "/home/ada"));

    private static ServerOptions Options(string[] args, Func<string, string?>? env = null)
    {
        var parsed = CommandLine.Parse(args, env ?? HomeOnly);
        return parsed.Options ?? throw new InvalidOperationException($"exited with {parsed.ExitCode}: {parsed.Output}");
    }

    [Test]
    public async Task Defaults_with_no_flags_and_no_variables()
    {
        var parsed = CommandLine.Parse([], HomeOnly);
        await Assert.That(parsed.ExitCode).IsNull();
        await Assert.That(parsed.Output).IsNull();
        await Assert.That(parsed.Subcommand).IsEmpty();
        var o = parsed.Options!;
        await Assert.That(o.DataDirectory).IsEqualTo("/home/ada/.local/share/orchestrator");
        await Assert.That(o.DatabasePath).IsEqualTo("/home/ada/.local/share/orchestrator/orchestrator.db");
        await Assert.That(o.LogFile).IsNull();
        await Assert.That(o.LogLevel).IsEqualTo(LogLevel.Information);
        await Assert.That(o.RateLimitsEnabled).IsTrue();
        await Assert.That(o.RestartArguments).IsEmpty();
        await Assert.That(o.Handover).IsNull();
    }

    [Test]
    public async Task The_shutdown_bound_defaults_to_five_seconds_and_the_flag_beats_its_variable()
    {
        await Assert.That(Options([]).ShutdownTimeout).IsEqualTo(TimeSpan.FromSeconds(5));
        var env = Env(("HOME", "/home/ada"), ("ORCHESTRATOR_SHUTDOWN_TIMEOUT", "12"));
        await Assert.That(Options([], env).ShutdownTimeout).IsEqualTo(TimeSpan.FromSeconds(12));
        var flagged = Options(["--shutdown-timeout", "0.5"], env);
        await Assert.That(flagged.ShutdownTimeout).IsEqualTo(TimeSpan.FromMilliseconds(500));
        // A user flag: the next image of a restart gets it too.
        await Assert.That(flagged.RestartArguments).IsEquivalentTo(["--shutdown-timeout", "0.5"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
    }

    [Test]
    [Arguments("-1")]
    [Arguments("soon")]
    [Arguments("3601")]
    [Arguments("1e3")]
    public async Task A_shutdown_bound_that_is_not_0_to_3600_seconds_is_refused(string value)
    {
        var ex = Assert.Throws<CommandLineException>(() => CommandLine.Parse(["--shutdown-timeout", value], HomeOnly));
        await Assert.That(ex.Message).Contains("--shutdown-timeout").And.Contains(value);
    }

    [Test]
    public async Task The_handover_probe_answers_with_this_build_and_exits()
    {
        var parsed = CommandLine.Parse(["--handover-probe"], HomeOnly);
        await Assert.That(parsed.ExitCode).IsEqualTo(0);
        using var answer = System.Text.Json.JsonDocument.Parse(parsed.Output!);
        await Assert.That(answer.RootElement.GetProperty("name").GetString()).IsEqualTo("orchestrator");
        await Assert.That(answer.RootElement.GetProperty("schema_version").GetInt32()).IsEqualTo(Orchestrator.Storage.Migrations.Latest);
        await Assert.That(answer.RootElement.GetProperty("reads_snapshot_formats").EnumerateArray().Select(f => f.GetInt32()).ToList())
            .Contains(Orchestrator.Reboot.Snapshot.SnapshotFormat.CurrentVersion);
        // And the judge accepts it, and refuses what a restart must not exec.
        var bytes = System.Text.Encoding.UTF8.GetBytes(parsed.Output!);
        await Assert.That(Orchestrator.Reboot.HandoverProbe.Judge(bytes, Orchestrator.Reboot.Snapshot.SnapshotFormat.CurrentVersion, Orchestrator.Storage.Migrations.Latest)).IsNull();
        await Assert.That(Orchestrator.Reboot.HandoverProbe.Judge(bytes, 99, 1)).Contains("cannot read snapshot format 99");
        await Assert.That(Orchestrator.Reboot.HandoverProbe.Judge(bytes, 3, 99)).Contains("older than the store's (99)");
        await Assert.That(Orchestrator.Reboot.HandoverProbe.Judge([], 3, 1)).Contains("without answering");
        await Assert.That(Orchestrator.Reboot.HandoverProbe.Judge("{\"name\":\"other\"}"u8.ToArray(), 3, 1)).Contains("not an Orchestrator's");
    }

    [Test]
    public async Task Xdg_data_home_is_used_when_absolute()
    {
        var o = Options([], Env(("HOME", "/home/ada"), ("XDG_DATA_HOME", "/xdg/data")));
        await Assert.That(o.DataDirectory).IsEqualTo("/xdg/data/orchestrator");
    }

    [Test]
    [Arguments("relative/data")]
    [Arguments("./data")]
    [Arguments("")]
    public async Task A_relative_or_empty_xdg_data_home_is_ignored(string xdg)
    {
        var o = Options([], Env(("HOME", "/home/ada"), ("XDG_DATA_HOME", xdg)));
        await Assert.That(o.DataDirectory).IsEqualTo("/home/ada/.local/share/orchestrator");
    }

    [Test]
    public async Task The_data_dir_variable_beats_xdg_and_the_flag_beats_the_variable()
    {
        var env = Env(("HOME", "/home/ada"), ("XDG_DATA_HOME", "/xdg"), ("ORCHESTRATOR_DATA_DIR", "/from/env"));
        await Assert.That(Options([], env).DataDirectory).IsEqualTo("/from/env");
        await Assert.That(Options(["--data-dir", "/from/flag"], env).DataDirectory).IsEqualTo("/from/flag");
    }

    [Test]
    public async Task A_relative_data_dir_is_made_absolute()
    {
        var o = Options(["--data-dir", "some/dir"]);
        await Assert.That(o.DataDirectory).IsEqualTo(Path.GetFullPath("some/dir"));
        await Assert.That(Path.IsPathRooted(o.DataDirectory)).IsTrue();
    }

    [Test]
    public async Task Log_file_from_variable_or_flag_made_absolute()
    {
        var env = Env(("HOME", "/h"), ("ORCHESTRATOR_LOG_FILE", "/var/log/env.log"));
        await Assert.That(Options([], env).LogFile).IsEqualTo("/var/log/env.log");
        await Assert.That(Options(["--log-file", "/var/log/flag.log"], env).LogFile).IsEqualTo("/var/log/flag.log");
        await Assert.That(Options(["--log-file", "rel.log"]).LogFile).IsEqualTo(Path.GetFullPath("rel.log"));
    }

    [Test]
    public async Task Log_level_from_variable_or_flag_case_insensitive()
    {
        var env = Env(("HOME", "/h"), ("ORCHESTRATOR_LOG_LEVEL", "DEBUG"));
        await Assert.That(Options([], env).LogLevel).IsEqualTo(LogLevel.Debug);
        await Assert.That(Options(["--log-level", "warning"], env).LogLevel).IsEqualTo(LogLevel.Warning);
        await Assert.That(Options(["--log-level", "None"]).LogLevel).IsEqualTo(LogLevel.None);
        await Assert.That(Options(["--log-level", "trace"]).LogLevel).IsEqualTo(LogLevel.Trace);
    }

    [Test]
    [Arguments("verbose")]
    [Arguments("info")]
    public async Task An_unknown_log_level_is_refused(string level)
    {
        var ex = Assert.Throws<CommandLineException>(() => CommandLine.Parse(["--log-level", level], HomeOnly));
        await Assert.That(ex.Message).Contains($"'{level}'");
        var fromEnv = Assert.Throws<CommandLineException>(() => CommandLine.Parse([], Env(("HOME", "/h"), ("ORCHESTRATOR_LOG_LEVEL", level))));
        await Assert.That(fromEnv.Message).Contains("unknown log level");
    }

    [Test]
    public async Task The_answer_budget_comes_from_the_variable_or_the_flag_and_travels_across_a_restart()
    {
        await Assert.That(Options([]).AnswerBudget).IsEqualTo(Orchestrator.Orchestration.Answers.AnswerBudget.Default);
        var env = Env(("HOME", "/h"), ("ORCHESTRATOR_ANSWER_BUDGET", "12000"));
        await Assert.That(Options([], env).AnswerBudget).IsEqualTo(12_000);
        var flagged = Options(["--answer-budget", "50000"], env);
        await Assert.That(flagged.AnswerBudget).IsEqualTo(50_000);
        await Assert.That(flagged.RestartArguments).IsEquivalentTo(["--answer-budget", "50000"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
    }

    [Test]
    [Arguments("7999")]
    [Arguments("10000001")]
    [Arguments("20k")]
    [Arguments("-1")]
    [Arguments(" 20000")]
    public async Task An_answer_budget_out_of_range_or_not_a_number_is_refused(string value)
    {
        var ex = Assert.Throws<CommandLineException>(() => CommandLine.Parse(["--answer-budget", value], HomeOnly));
        await Assert.That(ex.Message).IsEqualTo($"answer budget '{value}' must be a whole number of characters from 8000 to 10000000");
        Assert.Throws<CommandLineException>(() => CommandLine.Parse([], Env(("HOME", "/h"), ("ORCHESTRATOR_ANSWER_BUDGET", value))));
    }

    [Test]
    [Arguments("off")]
    [Arguments("OFF")]
    [Arguments("Off")]
    public async Task Rate_limits_off_through_the_variable(string value)
    {
        await Assert.That(Options([], Env(("HOME", "/h"), ("ORCHESTRATOR_RATE_LIMITS", value))).RateLimitsEnabled).IsFalse();
    }

    [Test]
    [Arguments("on")]
    [Arguments("")]
    [Arguments("0")]
    public async Task Other_rate_limit_values_leave_them_on(string value)
    {
        await Assert.That(Options([], Env(("HOME", "/h"), ("ORCHESTRATOR_RATE_LIMITS", value))).RateLimitsEnabled).IsTrue();
    }

    [Test]
    public async Task The_no_rate_limits_flag_turns_them_off()
    {
        await Assert.That(Options(["--no-rate-limits"]).RateLimitsEnabled).IsFalse();
    }

    [Test]
    [Arguments("--help")]
    [Arguments("-h")]
    public async Task Help_exits_zero_with_the_usage(string flag)
    {
        var parsed = CommandLine.Parse(["--data-dir", "/x", flag, "--bogus"], HomeOnly);
        await Assert.That(parsed.ExitCode).IsEqualTo(0);
        await Assert.That(parsed.Output).IsEqualTo(CommandLine.Usage);
        await Assert.That(parsed.Options).IsNull();
        await Assert.That(parsed.Output!).Contains("--data-dir DIR");
    }

    [Test]
    public async Task Version_exits_zero_with_name_and_version()
    {
        var parsed = CommandLine.Parse(["--version"], HomeOnly);
        await Assert.That(parsed.ExitCode).IsEqualTo(0);
        await Assert.That(parsed.Output).IsEqualTo($"orchestrator {ServerInfo.Version}");
        await Assert.That(parsed.Options).IsNull();
    }

    [Test]
    [Arguments("--bogus")]
    [Arguments("-x")]
    [Arguments("--data_dir")]
    public async Task An_unknown_option_is_refused(string option)
    {
        var ex = Assert.Throws<CommandLineException>(() => CommandLine.Parse([option], HomeOnly));
        await Assert.That(ex.Message).IsEqualTo($"unknown option {option}");
    }

    [Test]
    [Arguments("--data-dir")]
    [Arguments("--log-file")]
    [Arguments("--log-level")]
    [Arguments("--resume")]
    [Arguments("--resume-request")]
    public async Task A_missing_value_is_refused(string flag)
    {
        var ex = Assert.Throws<CommandLineException>(() => CommandLine.Parse(["--no-rate-limits", flag], HomeOnly));
        await Assert.That(ex.Message).IsEqualTo($"{flag} needs a value");
    }

    [Test]
    public async Task Resume_arguments_are_parsed_but_not_passed_to_the_next_image()
    {
        var o = Options(["--resume", "/d/snapshots/restart-12.snap", "--data-dir", "/d", "--resume-request", "\"abc\"",
            "--no-rate-limits", "--log-level", "debug", "--log-file", "/l/o.log"]);
        await Assert.That(o.Handover!.SnapshotPath).IsEqualTo("/d/snapshots/restart-12.snap");
        await Assert.That(o.Handover.RequestIdJson).IsEqualTo("\"abc\"");
        await Assert.That(o.RestartArguments).IsEquivalentTo(
            ["--data-dir", "/d", "--no-rate-limits", "--log-level", "debug", "--log-file", "/l/o.log"],
            TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(o.RestartArguments).DoesNotContain("--resume");
        await Assert.That(o.RestartArguments).DoesNotContain("--resume-request");
    }

    [Test]
    public async Task Restart_arguments_keep_the_user_flags_verbatim_so_relative_paths_reparse_the_same()
    {
        var o = Options(["--data-dir", "rel/dir"]);
        await Assert.That(o.RestartArguments).IsEquivalentTo(["--data-dir", "rel/dir"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        var again = Options([.. o.RestartArguments]);
        await Assert.That(again.DataDirectory).IsEqualTo(o.DataDirectory);
    }

    [Test]
    public async Task Environment_settings_are_not_turned_into_restart_arguments()
    {
        var o = Options([], Env(("HOME", "/h"), ("ORCHESTRATOR_DATA_DIR", "/e"), ("ORCHESTRATOR_RATE_LIMITS", "off")));
        await Assert.That(o.RestartArguments).IsEmpty();
    }

    [Test]
    public async Task Subcommand_words_are_returned_with_their_own_options()
    {
        var parsed = CommandLine.Parse(["bench", "restart", "--count", "5", "--output", "out.json"], HomeOnly);
        await Assert.That(parsed.Subcommand).IsEquivalentTo(["bench", "restart", "--count", "5", "--output", "out.json"],
            TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(parsed.Options).IsNotNull();
        await Assert.That(parsed.Options!.RestartArguments).IsEmpty();
    }

    [Test]
    public async Task Server_flags_before_a_subcommand_still_apply()
    {
        var parsed = CommandLine.Parse(["--data-dir", "/d", "--no-rate-limits", "bench", "restart"], HomeOnly);
        await Assert.That(parsed.Subcommand).IsEquivalentTo(["bench", "restart"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(parsed.Options!.DataDirectory).IsEqualTo("/d");
        await Assert.That(parsed.Options.RateLimitsEnabled).IsFalse();
    }

    [Test]
    public async Task A_token_flag_stays_out_of_the_restart_arguments_and_is_marked_as_seen_by_other_users()
    {
        var o = Options(["--http", "8080", "--auth-token", "s3cret", "--data-dir", "/d"]);
        await Assert.That(o.Token).IsEqualTo(new Orchestrator.Http.TokenSource("s3cret", true, null, false, null));
        await Assert.That(o.RestartArguments).IsEquivalentTo(["--http", "8080", "--data-dir", "/d"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(o.Http!.Token).IsNull(); // read when the server starts, not while parsing

        // The next image reads it from the variable the flag stands for (where the restart puts it), with the same result.
        var next = Options([.. o.RestartArguments], Env(("HOME", "/h"), ("ORCHESTRATOR_AUTH_TOKEN", "s3cret")));
        await Assert.That(next.Token).IsEqualTo(new Orchestrator.Http.TokenSource("s3cret", false, null, false, null));
    }

    [Test]
    public async Task A_token_file_is_made_absolute_and_kept_verbatim_for_the_next_image()
    {
        var o = Options(["--auth-token-file", "rel/token", "--allow-readable-token-file"]);
        await Assert.That(o.Token).IsEqualTo(new Orchestrator.Http.TokenSource(null, false, Path.GetFullPath("rel/token"), true, null));
        await Assert.That(o.RestartArguments).IsEquivalentTo(["--auth-token-file", "rel/token", "--allow-readable-token-file"],
            TUnit.Assertions.Enums.CollectionOrdering.Matching);
        var fromEnv = Options([], Env(("HOME", "/h"), ("ORCHESTRATOR_AUTH_TOKEN_FILE", "/t"), ("ORCHESTRATOR_ALLOW_READABLE_TOKEN_FILE", "1")));
        await Assert.That(fromEnv.Token).IsEqualTo(new Orchestrator.Http.TokenSource(null, false, "/t", true, null));
        // A value wins over a file, as before.
        var both = Options(["--auth-token-file", "/t"], Env(("HOME", "/h"), ("ORCHESTRATOR_AUTH_TOKEN", "v")));
        await Assert.That(both.Token!.Value).IsEqualTo("v");
    }

    [Test]
    public async Task The_token_handed_over_is_read_only_by_an_image_started_by_a_restart()
    {
        var env = Env(("HOME", "/h"), (TokenHandover.FileTokenVariable, "last-good"));
        await Assert.That(Options(["--auth-token-file", "/t"], env).Token!.HandedOver).IsNull();
        await Assert.That(Options(["--auth-token-file", "/t", "--resume", "/d/snapshots/restart-1.snap"], env).Token!.HandedOver).IsEqualTo("last-good");
    }

    [Test]
    [Arguments("--auth-token")]
    [Arguments("--auth-token-file")]
    public async Task An_empty_token_flag_is_refused_rather_than_serving_without_one(string flag)
    {
        var ex = Assert.Throws<CommandLineException>(() => CommandLine.Parse(["--http", "8080", flag, ""], HomeOnly));
        await Assert.That(ex.Message).IsEqualTo($"{flag} needs a non-empty value");
        // An empty variable is an unset one (ORCHESTRATOR_HTTP= turns HTTP off the same way).
        await Assert.That(Options([], Env(("HOME", "/h"), ("ORCHESTRATOR_AUTH_TOKEN", ""))).Token).IsNull();
    }

    [Test]
    public async Task The_limits_have_defaults_and_come_from_a_variable_or_a_flag()
    {
        var o = Options([]);
        await Assert.That(o.Stdio.MaxLineBytes).IsEqualTo(16 * 1024 * 1024);
        await Assert.That(o.Stdio.MaxPendingAnswers).IsEqualTo(1024);
        await Assert.That(o.MaxErrorsListed).IsEqualTo(100);

        var env = Env(("HOME", "/h"), ("ORCHESTRATOR_MAX_LINE_BYTES", "2048"), ("ORCHESTRATOR_MAX_PENDING_ANSWERS", "7"),
            ("ORCHESTRATOR_MAX_ERRORS_LISTED", "5"), ("ORCHESTRATOR_HTTP_MAX_SESSIONS", "9"), ("ORCHESTRATOR_HTTP_SESSION_IDLE_TIMEOUT", "60"));
        var fromEnv = Options(["--http", "8080"], env);
        await Assert.That(fromEnv.Stdio.MaxLineBytes).IsEqualTo(2048);
        await Assert.That(fromEnv.Stdio.MaxPendingAnswers).IsEqualTo(7);
        await Assert.That(fromEnv.MaxErrorsListed).IsEqualTo(5);
        await Assert.That(fromEnv.Http!.MaxSessions).IsEqualTo(9);
        await Assert.That(fromEnv.Http.SessionIdleTimeout).IsEqualTo(TimeSpan.FromSeconds(60));

        var fromFlags = Options(["--http", "8080", "--max-line-bytes", "4096", "--max-pending-answers", "3", "--max-errors-listed", "1",
            "--http-max-sessions", "2", "--http-session-idle-timeout", "30"], env);
        await Assert.That(fromFlags.Stdio.MaxLineBytes).IsEqualTo(4096);
        await Assert.That(fromFlags.Stdio.MaxPendingAnswers).IsEqualTo(3);
        await Assert.That(fromFlags.MaxErrorsListed).IsEqualTo(1);
        await Assert.That(fromFlags.Http!.MaxSessions).IsEqualTo(2);
        await Assert.That(fromFlags.Http.SessionIdleTimeout).IsEqualTo(TimeSpan.FromSeconds(30));
        // The next image of a restart gets the same limits.
        await Assert.That(fromFlags.RestartArguments).Contains("--max-pending-answers");
    }

    [Test]
    [Arguments("--max-line-bytes", "100")]
    [Arguments("--max-line-bytes", "lots")]
    [Arguments("--max-pending-answers", "0")]
    [Arguments("--max-pending-answers", "-5")]
    [Arguments("--max-errors-listed", "0")]
    [Arguments("--http-max-sessions", "0")]
    [Arguments("--http-session-idle-timeout", "1h")]
    public async Task A_limit_out_of_its_range_is_refused_naming_the_flag(string flag, string value)
    {
        var ex = Assert.Throws<CommandLineException>(() => CommandLine.Parse([flag, value], HomeOnly));
        await Assert.That(ex.Message).StartsWith(flag + ": '" + value + "' is not a whole number from ");
    }
}
