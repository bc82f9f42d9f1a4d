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
}
