using System.Text.Json.Nodes;
using Orchestrator.Tests.EndToEnd;
using Orchestrator.Tests.Reliability;

namespace Orchestrator.Tests.Security;

/// <summary>
/// What the published binary creates is its owner's alone, whatever umask it was started with: the data directory and
/// its parents 0700, the store (database, WAL, shared memory), the restart snapshot and the log file 0600; what the user
/// created beforehand keeps its mode, and a cold start says once what others can read and how to close it.
/// </summary>
public sealed class PrivateModeTests
{
    private const UnixFileMode Mode755 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
    private const UnixFileMode Mode644 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    [Test]
    [Arguments("022")]
    [Arguments("000")]
    public async Task A_fresh_start_a_restart_and_a_log_file_create_nothing_that_others_can_read(string umask)
    {
        using var root = new TempDirectory();
        using var project = new TempDirectory();
        using var pause = new PausedRestart();
        var created = Path.Combine(root.Path, "new");
        var data = Path.Combine(created, "data");
        var logs = Path.Combine(root.Path, "logs");
        var log = Path.Combine(logs, "server.log");
        var (command, arguments) = FileModes.UnderUmask(umask, "--data-dir", data, "--log-file", log);
        await using var client = McpStdioClient.StartCommand(command, arguments, pause.Environment("closing_connections"));
        await client.InitializeAsync();
        (await client.CallToolAsync("orchestrator_initialize_session", new JsonObject { ["working_directory"] = project.Path })).Structured();

        // Held after the snapshot is written, before the store closes: every file a restart has on disk is there.
        var (_, restart) = client.SendToolCall("orchestrator_restart_server");
        await PausedRestart.WaitUntilPausedAsync(client, "closing_connections");
        var snapshot = Path.Combine(data, "snapshots", $"restart-{client.Pid}.snap");
        await Assert.That(File.Exists(snapshot)).IsTrue();
        foreach (var storeFile in new[] { "orchestrator.db", "orchestrator.db-wal", "orchestrator.db-shm" })
            await Assert.That(File.Exists(Path.Combine(data, storeFile))).IsTrue().Because(storeFile + " exists while the server runs in WAL mode");
        await Assert.That(FileModes.NotPrivate(created)).IsEmpty();
        await pause.ResumeAsync();
        await Assert.That((await restart).Result().Structured()["success"]!.GetValue<bool>()).IsTrue();

        // The new image reopened the store and wrote to it; then the server ends and checkpoints.
        (await client.CallToolAsync("orchestrator_initialize_session", new JsonObject { ["working_directory"] = project.Path })).Structured();
        await Assert.That(FileModes.NotPrivate(created)).IsEmpty();
        await Assert.That(await client.StopAsync()).IsEqualTo(0);

        await Assert.That(FileModes.NotPrivate(created)).IsEmpty();
        await Assert.That(FileModes.NotPrivate(logs)).IsEmpty();
        await Assert.That(File.ReadAllText(log)).Contains("Restart");
    }

    [Test]
    public async Task What_the_user_created_keeps_its_mode_and_a_cold_start_warns_once_with_the_fix()
    {
        using var root = new TempDirectory();
        using var project = new TempDirectory();
        var data = Path.Combine(root.Path, "data");
        Directory.CreateDirectory(data, Mode755);
        File.SetUnixFileMode(data, Mode755);
        var log = Path.Combine(root.Path, "server.log");
        await File.WriteAllTextAsync(log, "");
        File.SetUnixFileMode(log, Mode644);

        var (command, arguments) = FileModes.UnderUmask("022", "--data-dir", data, "--log-file", log);
        await using (var client = McpStdioClient.StartCommand(command, arguments))
        {
            await client.InitializeAsync();
            (await client.CallToolAsync("orchestrator_initialize_session", new JsonObject { ["working_directory"] = project.Path })).Structured();
            await Assert.That((await client.CallToolAsync("orchestrator_restart_server")).Structured()["success"]!.GetValue<bool>()).IsTrue();
            await Assert.That(await client.StopAsync()).IsEqualTo(0);
        }

        await Assert.That(FileModes.Octal(data)).IsEqualTo("0755");
        await Assert.That(FileModes.Octal(log)).IsEqualTo("0644");
        // Inside the user's directory, what the server created is private all the same.
        await Assert.That(FileModes.NotPrivate(data)).IsEqualTo($"0755 {data}");
        await Assert.That(File.Exists(Path.Combine(data, "orchestrator.db"))).IsTrue();

        // One warning, at the cold start (not again at the restart), naming each path and the command that closes it.
        var warnings = File.ReadAllLines(log).Where(l => l.Contains("Other users can get at this server's data")).ToList();
        await Assert.That(warnings.Count).IsEqualTo(1);
        await Assert.That(warnings[0]).Contains($"chmod 700 {data}").And.Contains($"chmod 600 {log}");
    }
}
