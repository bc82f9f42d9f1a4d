using System.Buffers.Binary;
using System.Text.Json.Nodes;
using Orchestrator.Native;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>
/// What a client learns of the image serving it: the build (version and the executable's GNU build id, in health_check
/// and serverInfo), how many in-place restarts the process has made, and, after a restart into a binary that serves
/// other tools, <c>notifications/tools/list_changed</c>: sent then, and never when the tools stayed the same.
/// </summary>
public class RestartLineageTests
{
    private static readonly Dictionary<string, string> Hooks = new() { ["ORCHESTRATOR_TEST_HOOKS"] = "build-identity" };
    private const string ListChanged = "notifications/tools/list_changed";

    private static string StaticBinary => Path.Combine(PublishedBinary.RepositoryRoot, "artifacts", "orchestrator-static");

    private static async Task<JsonObject> Health(McpStdioClient client) =>
        (await client.CallToolAsync("orchestrator_health_check", new JsonObject { ["include_reboot_readiness"] = false })).Structured();

    private static async Task<int> Generation(McpStdioClient client) => (await Health(client))["restart_generation"]!.GetValue<int>();

    private static async Task<string> BuildId(McpStdioClient client) => (await Health(client))["build"]!["build_id"]!.GetValue<string>();

    private static async Task<int> ToolCount(McpStdioClient client) => (await client.RequestAsync("tools/list"))["tools"]!.AsArray().Count;

    private static int ListChangedCount(McpStdioClient client) => client.Notifications.Count(n => n["method"]?.GetValue<string>() == ListChanged);

    private static async Task Restart(McpStdioClient client, string reason = "manual_request")
    {
        var answer = (await client.CallToolAsync("orchestrator_restart_server", new JsonObject { ["reason"] = reason })).Structured();
        await Assert.That(answer["phase"]!.GetValue<string>()).IsEqualTo("complete");
    }

    /// <summary>The build id in the file, read with the test's own ELF reading (program headers, then the note segments).</summary>
    private static string? BuildIdInFile(string path)
    {
        var elf = File.ReadAllBytes(path);
        var programHeaders = (int)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(0x20));
        var size = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x36));
        var count = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x38));
        for (var i = 0; i < count; i++)
        {
            var header = elf.AsSpan(programHeaders + i * size);
            if (BinaryPrimitives.ReadUInt32LittleEndian(header) != 4) continue; // PT_NOTE
            var offset = (int)BinaryPrimitives.ReadUInt64LittleEndian(header[8..]);
            var length = (int)BinaryPrimitives.ReadUInt64LittleEndian(header[32..]);
            if (ElfBuildId.Find(elf.AsSpan(offset, length)) is { } id) return id;
        }
        return null;
    }

    [Test]
    public async Task The_restart_generation_counts_this_process_in_place_restarts_and_a_cold_start_begins_again()
    {
        using var data = new TempDirectory();
        await using (var client = McpStdioClient.Start(data.Path))
        {
            var initialized = await client.InitializeAsync();
            var health = await Health(client);
            await Assert.That(health["restart_generation"]!.GetValue<int>()).IsEqualTo(0);
            await Assert.That(health["build"]!["version"]!.GetValue<string>()).IsEqualTo(health["server_version"]!.GetValue<string>());
            var buildId = health["build"]!["build_id"]!.GetValue<string>();
            await Assert.That(buildId).IsEqualTo(BuildIdInFile(PublishedBinary.Path));
            await Assert.That(initialized["serverInfo"]!["description"]!.GetValue<string>())
                .Contains($"build {buildId}").And.Contains("restart generation 0");

            await Restart(client);
            await Assert.That(await Generation(client)).IsEqualTo(1);
            await Restart(client);
            await Assert.That(await Generation(client)).IsEqualTo(2);
            await Assert.That(await BuildId(client)).IsEqualTo(buildId); // the same binary
            await Assert.That(await client.StopAsync()).IsEqualTo(0);
        }
        await using var cold = await McpStdioClient.StartInitializedAsync(data.Path);
        await Assert.That(await Generation(cold)).IsEqualTo(0);
    }

    [Test]
    public async Task Two_different_binaries_report_different_build_ids_each_its_own()
    {
        using var data = new TempDirectory();
        await using var dynamic = await McpStdioClient.StartInitializedAsync(data.Path);
        using var other = new TempDirectory();
        await using var linkedStatically = await McpStdioClient.StartInitializedAsync(other.Path, binary: StaticBinary);

        var first = await BuildId(dynamic);
        var second = await BuildId(linkedStatically);

        await Assert.That(first).IsNotEqualTo(second);
        await Assert.That(first).IsEqualTo(BuildIdInFile(PublishedBinary.Path));
        await Assert.That(second).IsEqualTo(BuildIdInFile(StaticBinary));
    }

    [Test]
    public async Task A_live_upgrade_into_a_binary_serving_other_tools_tells_the_client_once_and_a_plain_restart_never()
    {
        using var install = new TempDirectory();
        using var data = new TempDirectory();
        var binary = ExecutableCopy.StageUpgradeServingMoreTools(install.Path);
        await using var client = await McpStdioClient.StartInitializedAsync(data.Path, Hooks, binary);
        var before = await ToolCount(client);

        // Same binary, same tools: the answer after the restart comes with no notification before it.
        await Restart(client);
        await Assert.That(await ToolCount(client)).IsEqualTo(before);
        await Assert.That(ListChangedCount(client)).IsEqualTo(0);

        await Restart(client, "configuration_update");
        // The notification is written right after the restart's answer, before anything else the new image answers.
        await Assert.That(await ToolCount(client)).IsGreaterThan(before);
        await Assert.That(ListChangedCount(client)).IsEqualTo(1);
        await Assert.That(await Generation(client)).IsEqualTo(2);

        await Restart(client);
        await Assert.That(await Generation(client)).IsEqualTo(3);
        await Assert.That(ListChangedCount(client)).IsEqualTo(1);
    }

    [Test]
    public async Task A_live_upgrade_into_another_binary_with_the_same_tools_changes_the_build_and_sends_no_notification()
    {
        using var install = new TempDirectory();
        using var data = new TempDirectory();
        var binary = Path.Combine(install.Path, "orchestrator");
        ExecutableCopy.Make(PublishedBinary.Path, binary);
        ExecutableCopy.Make(StaticBinary, binary + ".next");
        await using var client = await McpStdioClient.StartInitializedAsync(data.Path, binary: binary);
        var pid = client.Pid;
        var before = await BuildId(client);

        await Restart(client, "configuration_update");

        await Assert.That(client.Pid).IsEqualTo(pid);
        var after = await BuildId(client);
        await Assert.That(after).IsNotEqualTo(before).And.IsEqualTo(BuildIdInFile(StaticBinary));
        await Assert.That(await Generation(client)).IsEqualTo(1);
        await Assert.That(ListChangedCount(client)).IsEqualTo(0);
    }
}
