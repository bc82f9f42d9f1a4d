using Orchestrator.Hosting;
using Orchestrator.Reboot;
using Orchestrator.Tests.EndToEnd;

namespace Orchestrator.Tests.Unit;

/// <summary>
/// The exec contract between the two halves of a restart: what the old image writes into the new image's argv
/// (<see cref="Handover.Arguments"/>) is what the new image's command line reads back, nothing lost, nothing added.
/// </summary>
public class HandoverTests
{
    private static readonly Func<string, string?> Home = key => key == "HOME" ? "/home/ada" : null;

    private static ParsedCommandLine ParseArgv(IReadOnlyList<string> argv) => CommandLine.Parse([.. argv.Skip(1)], Home);

    [Test]
    public async Task An_http_handover_round_trips_through_the_new_images_command_line()
    {
        var handover = new Handover("/d/snapshots/restart-77.snap", "\"req \\\"7\\\"\"", new InheritedSockets(5, [7, 9, 12], 8, PendingStream: true));
        string[] user = ["--data-dir", "rel/dir", "--http", "8080", "--no-rate-limits", "--log-level", "debug"];

        var argv = handover.Arguments("/opt/orchestrator", user);
        var parsed = ParseArgv(argv);

        await Assert.That(argv[0]).IsEqualTo("/opt/orchestrator");
        await Assert.That(parsed.Subcommand).IsEmpty();
        await Assert.That(parsed.Options!.Handover).IsEqualTo(handover);
        // The next image gets the user's flags back verbatim, so it restarts the same way in turn.
        await Assert.That(parsed.Options.RestartArguments).IsEquivalentTo(user, TUnit.Assertions.Enums.CollectionOrdering.Matching);
    }

    [Test]
    public async Task A_stdio_handover_carries_the_snapshot_and_the_call_id_only()
    {
        var handover = new Handover("/d/snapshots/restart-3.snap", "42", InheritedSockets.None);

        var argv = handover.Arguments("/opt/orchestrator", []);

        await Assert.That(argv).IsEquivalentTo(["/opt/orchestrator", "--resume", "/d/snapshots/restart-3.snap", "--resume-request", "42"],
            TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(ParseArgv(argv).Options!.Handover).IsEqualTo(handover);
    }

    [Test]
    public async Task Without_a_snapshot_there_is_no_handover_and_stray_handover_flags_are_refused()
    {
        await Assert.That(CommandLine.Parse(["--data-dir", "/d"], Home).Options!.Handover).IsNull();
        var ex = Assert.Throws<CommandLineException>(() => CommandLine.Parse(["--http-listen-fd", "5"], Home));
        await Assert.That(ex.Message).Contains("--resume");
    }

    [Test]
    [Arguments("--http-listen-fd", "2")]
    [Arguments("--http-listen-fd", "x")]
    [Arguments("--http-pending-fd", "-4")]
    [Arguments("--http-connection-fds", "7,,9")]
    public async Task A_descriptor_that_is_not_one_is_refused_naming_the_flag(string flag, string value)
    {
        var ex = Assert.Throws<CommandLineException>(() => CommandLine.Parse(["--resume", "/s", flag, value], Home));
        await Assert.That(ex.Message).StartsWith($"{flag}: ").And.Contains("is not a file descriptor");
    }

    [Test]
    public async Task The_snapshot_path_names_the_process()
    {
        await Assert.That(Handover.SnapshotPathFor("/d/snapshots", 1234)).IsEqualTo("/d/snapshots/restart-1234.snap");
    }

    [Test]
    public async Task Orphaned_snapshots_of_dead_processes_are_removed_and_live_ones_kept()
    {
        using var directory = new TempDirectory();
        var dead = Handover.SnapshotPathFor(directory.Path, 111);
        var halfWritten = dead.Replace("111", "222") + ".tmp";
        var live = Handover.SnapshotPathFor(directory.Path, 333);
        var unrelated = Path.Combine(directory.Path, "notes.txt");
        foreach (var file in new[] { dead, halfWritten, live, unrelated }) File.WriteAllText(file, "x");

        Handover.RemoveOrphanedSnapshots(directory.Path, pid => pid == 333);

        await Assert.That(File.Exists(dead)).IsFalse();
        await Assert.That(File.Exists(halfWritten)).IsFalse();
        await Assert.That(File.Exists(live)).IsTrue();
        await Assert.That(File.Exists(unrelated)).IsTrue();
    }
}
