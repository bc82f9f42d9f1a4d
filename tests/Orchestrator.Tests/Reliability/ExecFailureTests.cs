using System.Text.Json.Nodes;
using Orchestrator.Tests.EndToEnd;

namespace Orchestrator.Tests.Reliability;

/// <summary>
/// The binary a restart must exec is removed or loses its execute bit: before the call (the precondition check
/// refuses) or after every check passed, the store closed, right before <c>execv</c> (the kernel refuses). Either way
/// the answer is PROCESS_FAILED and the old image goes on serving, store reopened, nothing lost.
/// </summary>
public class ExecFailureTests
{
    [Test]
    public async Task A_binary_that_is_not_executable_at_the_call_is_refused_before_anything_changes()
    {
        using var data = new TempDirectory();
        using var binary = new BinaryCopy();
        await using var client = await McpStdioClient.StartInitializedAsync(data.Path, binary: binary.Path);
        var pid = client.Pid;
        binary.Break("not-executable");

        var error = (await client.CallToolAsync("orchestrator_restart_server")).Error();

        await Assert.That(error["error_code"]!.GetValue<string>()).IsEqualTo("PROCESS_FAILED");
        await Assert.That(error["phase"]!.GetValue<string>()).IsEqualTo("preparation_failed");
        await Assert.That(error["error"]!.GetValue<string>()).Contains("is not executable");
        var health = (await client.CallToolAsync("orchestrator_health_check")).Structured();
        await Assert.That(health["checks"]!["reboot_readiness"]!["ready"]!.GetValue<bool>()).IsFalse();
        await Assert.That(health["checks"]!["reboot_readiness"]!["issues"]![0]!.GetValue<string>()).Contains("is not executable");
        // Refused before anything changed: no history row, and the old image writes and reads tasks as before.
        await Assert.That((await TaskProbe.HistoryAsync(client))["total_restarts"]!.GetValue<int>()).IsEqualTo(0);
        await TaskProbe.AssertWritableAsync(client);
        await Assert.That(client.Pid).IsEqualTo(pid);
        await Assert.That(client.HasExited).IsFalse();
    }

    [Test]
    [Arguments("remove", 2)]
    [Arguments("not-executable", 13)]
    public async Task A_binary_broken_after_the_checks_makes_execv_fail_and_the_old_image_keeps_serving(string how, int errno)
    {
        using var data = new TempDirectory();
        using var binary = new BinaryCopy();
        using var pause = new PausedRestart();
        await using var client = await McpStdioClient.StartInitializedAsync(data.Path, pause.Environment("finalizing"), binary.Path);
        var pid = client.Pid;
        var before = await TaskProbe.AssertWritableAsync(client);

        var restart = client.SendToolCall("orchestrator_restart_server");
        await PausedRestart.WaitUntilPausedAsync(client, "finalizing");
        // Every precondition passed, the snapshot is written and the store closed: only execv itself is left.
        binary.Break(how);
        var held = client.SendToolCall("orchestrator_query_tasks", new JsonObject());
        await pause.ResumeAsync();

        var error = (await restart.Answer).Result().Error();
        await Assert.That(error["error_code"]!.GetValue<string>()).IsEqualTo("PROCESS_FAILED");
        await Assert.That(error["phase"]!.GetValue<string>()).IsEqualTo("failed");
        await Assert.That(error["error"]!.GetValue<string>()).Contains($"failed with errno {errno}");
        // The request sent while the restart had the server quiesced is answered once, by the old image.
        var heldResult = (await held.Answer).Result().Structured();
        await Assert.That(heldResult["tasks"]!.AsArray().Count).IsEqualTo(1);

        // Out of maintenance mode, the store reopened: what was written before is there and new writes work.
        var status = (await client.CallToolAsync("orchestrator_restart_status", new JsonObject { ["include_history"] = true })).Structured();
        await Assert.That(status["current_status"]!["maintenance_mode"]!.GetValue<bool>()).IsFalse();
        await Assert.That(status["current_status"]!["phase"]!.GetValue<string>()).IsEqualTo("failed");
        var record = status["history"]!["recent_restarts"]![0]!;
        await Assert.That(record["success"]!.GetValue<bool>()).IsFalse();
        await Assert.That(record["error_code"]!.GetValue<string>()).IsEqualTo("PROCESS_FAILED");
        await TaskProbe.AssertTaskExistsAsync(client, before);
        await TaskProbe.AssertWritableAsync(client);
        await Assert.That(Directory.GetFiles(Path.Combine(data.Path, "snapshots"))).IsEmpty();
        await Assert.That(client.Pid).IsEqualTo(pid);
        await Assert.That(client.AnswerCounts[restart.Id]).IsEqualTo(1);
        await Assert.That(client.AnswerCounts[held.Id]).IsEqualTo(1);
    }
}
