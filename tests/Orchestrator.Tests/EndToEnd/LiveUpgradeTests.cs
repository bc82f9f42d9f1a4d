using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Reboot.Snapshot;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>
/// Live upgrade through <c>orchestrator_restart_server</c>: a newer binary staged as <c>&lt;binary&gt;.next</c> is exec'd
/// for <c>configuration_update</c> and <c>schema_migration</c>, migrates the older snapshot it receives and carries the
/// session and the work on; a downgrade to a release that cannot read the running one's snapshot is refused before
/// the exec (the handover probe). "Releases" are copies of the published
/// binary with a trailer read under the <c>build-identity</c> test hook (the version they report, the snapshot format
/// they write), so no second NativeAOT publish is needed.
/// </summary>
public class LiveUpgradeTests
{
    private static readonly Dictionary<string, string> Hooks = new() { ["ORCHESTRATOR_TEST_HOOKS"] = "build-identity" };

    /// <summary>A copy of the published binary at <paramref name="fileName"/> that reports <paramref name="version"/>.</summary>
    /// <summary>A snapshot format no release knows yet.</summary>
    private const int Future = SnapshotFormat.CurrentVersion + 1;

    private static string Release(string directory, string fileName, string version, int? snapshotFormat = null)
    {
        var path = Path.Combine(directory, fileName);
        var trailer = $"\n#orchestrator-test-build version={version}" + (snapshotFormat is { } format ? $" snapshot-format={format}" : "") + "\n";
        ExecutableCopy.Make(PublishedBinary.Path, path, trailer);
        return path;
    }

    private static bool Reports(string binaryPath, string version) =>
        Encoding.ASCII.GetString(File.ReadAllBytes(binaryPath)[^64..]).Contains($"version={version}");

    private static async Task<string> ServerVersion(McpStdioClient client) =>
        (await client.CallToolAsync("orchestrator_health_check")).Structured()["server_version"]!.GetValue<string>();

    private static async Task<string> SessionStatus(McpStdioClient client) =>
        (await client.CallToolAsync("orchestrator_reconnect_test")).Structured()["results"]!["all_sessions"]!["status"]!.GetValue<string>();

    /// <summary>A task of two subtasks, the first in progress: what a restart must suspend, carry and resume.</summary>
    private static async Task<(string TaskId, string FirstSubtask)> StartWorkAsync(McpStdioClient client, string workingDirectory)
    {
        var session = (await client.CallToolAsync("orchestrator_initialize_session", new JsonObject { ["working_directory"] = workingDirectory })).Structured();
        var plan = (await client.CallToolAsync("orchestrator_plan_task", new JsonObject
        {
            ["session_id"] = session["session_id"]!.GetValue<string>(),
            ["title"] = "Upgrade-proof work",
            ["subtasks"] = new JsonArray(
                new JsonObject { ["key"] = "a", ["title"] = "Design", ["role"] = "architect" },
                new JsonObject { ["key"] = "b", ["title"] = "Build", ["role"] = "implementer", ["depends_on"] = new JsonArray("a") }),
        })).Structured();
        var first = plan["subtasks"]![0]!["id"]!.GetValue<string>();
        (await client.CallToolAsync("orchestrator_execute_subtask", new JsonObject { ["subtask_id"] = first })).Structured();
        return (plan["task"]!["id"]!.GetValue<string>(), first);
    }

    private static async Task<string> SubtaskStatus(McpStdioClient client, string taskId, string subtaskId) =>
        (await client.CallToolAsync("orchestrator_get_status", new JsonObject { ["task_id"] = taskId })).Structured()["subtasks"]!.AsArray()
            .Single(s => s!["id"]!.GetValue<string>() == subtaskId)!["status"]!.GetValue<string>();

    [Test]
    [Arguments("configuration_update", 1)]
    [Arguments("schema_migration", 1)]
    [Arguments("configuration_update", 2)]
    public async Task A_staged_newer_binary_is_execd_migrates_the_old_snapshot_and_keeps_session_and_work(string reason, int oldFormat)
    {
        using var install = new TempDirectory();
        using var data = new TempDirectory();
        using var project = new TempDirectory();
        // The running release writes an older snapshot format, as the releases before did; the staged one reads it.
        var binary = Release(install.Path, "orchestrator", "0.9.0-test", snapshotFormat: oldFormat);
        Release(install.Path, "orchestrator.next", "9.9.9-test");
        await using var client = await McpStdioClient.StartInitializedAsync(data.Path, Hooks, binary);
        var pid = client.Pid;
        await Assert.That(await ServerVersion(client)).IsEqualTo("0.9.0-test");
        var (taskId, inProgress) = await StartWorkAsync(client, project.Path);
        var sessionBefore = await SessionStatus(client);

        var restart = (await client.CallToolAsync("orchestrator_restart_server", new JsonObject { ["reason"] = reason })).Structured();

        await Assert.That(restart["phase"]!.GetValue<string>()).IsEqualTo("complete");
        await Assert.That(restart["pid"]!.GetValue<int>()).IsEqualTo(pid);
        await Assert.That(restart["message"]!.GetValue<string>())
            // Format 1 did not record its writer's version; format 2 on does.
            .Contains(oldFormat == 1 ? "upgraded from an earlier release to 9.9.9-test" : "upgraded from 0.9.0-test to 9.9.9-test")
            .And.Contains($"snapshot format {oldFormat} migrated to {SnapshotFormat.CurrentVersion}");
        await Assert.That(client.Pid).IsEqualTo(pid);
        await Assert.That(await ServerVersion(client)).IsEqualTo("9.9.9-test");
        // The session went across (no re-initialize, same client, one restart survived) and so did the work: the
        // subtask suspended for the restart, listed in the old-format snapshot, was resumed by the new image.
        var sessionAfter = await SessionStatus(client);
        await Assert.That(sessionAfter).Contains("e2e-test-client").And.Contains("1 restart(s) survived");
        await Assert.That(sessionAfter.Replace("1 restart(s)", "0 restart(s)")).IsEqualTo(sessionBefore);
        await Assert.That(await SubtaskStatus(client, taskId, inProgress)).IsEqualTo("in_progress");
        (await client.CallToolAsync("orchestrator_complete_subtask", new JsonObject { ["subtask_id"] = inProgress, ["summary"] = "designed", ["detailed_work"] = "the design" })).Structured();
        // The new binary is installed where the old one was, the old one kept beside it.
        await Assert.That(File.Exists(binary + ".next")).IsFalse();
        await Assert.That(Reports(binary, "9.9.9-test")).IsTrue();
        await Assert.That(Reports(binary + ".previous", "0.9.0-test")).IsTrue();

        // The next restart runs the installed binary again: no upgrade left to report.
        var again = (await client.CallToolAsync("orchestrator_restart_server")).Structured();
        await Assert.That(again["message"]!.GetValue<string>()).IsEqualTo("Restart completed successfully");
        await Assert.That(await ServerVersion(client)).IsEqualTo("9.9.9-test");
        await Assert.That(await client.StopAsync()).IsEqualTo(0);
        await Assert.That(client.Stderr).Contains("live upgrade");
    }

    [Test]
    public async Task A_manual_restart_leaves_a_staged_binary_alone()
    {
        using var install = new TempDirectory();
        using var data = new TempDirectory();
        var binary = Release(install.Path, "orchestrator", "0.9.0-test");
        Release(install.Path, "orchestrator.next", "9.9.9-test");
        await using var client = await McpStdioClient.StartInitializedAsync(data.Path, Hooks, binary);

        var restart = (await client.CallToolAsync("orchestrator_restart_server", new JsonObject { ["reason"] = "manual_request" })).Structured();

        await Assert.That(restart["message"]!.GetValue<string>()).IsEqualTo("Restart completed successfully");
        await Assert.That(await ServerVersion(client)).IsEqualTo("0.9.0-test");
        await Assert.That(Reports(binary + ".next", "9.9.9-test")).IsTrue();
        await Assert.That(File.Exists(binary + ".previous")).IsFalse();
    }

    [Test]
    public async Task A_downgrade_to_a_release_that_cannot_read_the_snapshot_is_refused_before_anything_changes()
    {
        using var install = new TempDirectory();
        using var data = new TempDirectory();
        using var project = new TempDirectory();
        // A newer release (the next snapshot format) is running; the operator stages the current build: a downgrade. The
        // staged build answers the handover probe that it reads formats up to the current one, so it is never exec'd.
        var binary = Release(install.Path, "orchestrator", "10.0.0-test", snapshotFormat: Future);
        Release(install.Path, "orchestrator.next", "9.9.9-test");
        await using var client = await McpStdioClient.StartInitializedAsync(data.Path, Hooks, binary);
        var pid = client.Pid;
        var (taskId, inProgress) = await StartWorkAsync(client, project.Path);

        var error = (await client.CallToolAsync("orchestrator_restart_server", new JsonObject { ["reason"] = "configuration_update" })).Error();

        await Assert.That(error["error_code"]!.GetValue<string>()).IsEqualTo("PROCESS_FAILED");
        await Assert.That(error["phase"]!.GetValue<string>()).IsEqualTo("preparation_failed");
        await Assert.That(error["error"]!.GetValue<string>()).Contains("9.9.9-test").And.Contains($"cannot read snapshot format {Future}");
        // Nothing changed: same image and release, the session as it was, the work still in progress, nothing recorded,
        // the staged binary where the operator put it.
        await Assert.That(client.Pid).IsEqualTo(pid);
        await Assert.That(await ServerVersion(client)).IsEqualTo("10.0.0-test");
        await Assert.That(await SessionStatus(client)).Contains("0 restart(s) survived");
        await Assert.That(await SubtaskStatus(client, taskId, inProgress)).IsEqualTo("in_progress");
        var history = (await client.CallToolAsync("orchestrator_restart_status", new JsonObject { ["include_history"] = true })).Structured()["history"]!;
        await Assert.That(history["total_restarts"]!.GetValue<int>()).IsEqualTo(0);
        await Assert.That(Reports(binary + ".next", "9.9.9-test")).IsTrue();
        await Assert.That(Reports(binary, "10.0.0-test")).IsTrue();
    }

    [Test]
    public async Task A_staged_file_that_cannot_run_is_refused_before_anything_changes()
    {
        using var install = new TempDirectory();
        using var data = new TempDirectory();
        var binary = Release(install.Path, "orchestrator", "0.9.0-test");
        var staged = binary + ".next";
        File.WriteAllText(staged, "#!/bin/sh\necho not the server\n");
        File.SetUnixFileMode(staged, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await using var client = await McpStdioClient.StartInitializedAsync(data.Path, Hooks, binary);
        var pid = client.Pid;

        var error = (await client.CallToolAsync("orchestrator_restart_server", new JsonObject { ["reason"] = "schema_migration" })).Error();

        await Assert.That(error["error_code"]!.GetValue<string>()).IsEqualTo("PROCESS_FAILED");
        await Assert.That(error["error"]!.GetValue<string>()).Contains("staged upgrade").And.Contains("not an ELF binary");
        await Assert.That(client.Pid).IsEqualTo(pid);
        await Assert.That(await ServerVersion(client)).IsEqualTo("0.9.0-test");
        await Assert.That(File.ReadAllText(staged)).Contains("not the server");
        await Assert.That(Reports(binary, "0.9.0-test")).IsTrue();
        var history = (await client.CallToolAsync("orchestrator_restart_status", new JsonObject { ["include_history"] = true })).Structured()["history"]!;
        await Assert.That(history["total_restarts"]!.GetValue<int>()).IsEqualTo(0);
    }
}
