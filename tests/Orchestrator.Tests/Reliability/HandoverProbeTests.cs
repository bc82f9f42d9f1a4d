using System.Text.Json.Nodes;
using Orchestrator.Tests.EndToEnd;
using Orchestrator.Tests.Http;

namespace Orchestrator.Tests.Reliability;

/// <summary>
/// A restart never execs a file that cannot take over. The file at the binary's path (replaced while the server runs) or
/// a staged <c>.next</c> is started once in probe mode before anything changes; another program, a truncated binary or a
/// release that cannot read this one's snapshot is refused with PROCESS_FAILED: no history row, nothing installed, the
/// old image serving on the same PID, the staged file left in place and the installed binary unchanged. Over stdio and
/// over HTTP, on copies of the published binary in a temporary directory.
/// </summary>
public class HandoverProbeTests
{
    public static IEnumerable<(string Kind, string Where)> Cases() =>
        ForeignBinary.Kinds().SelectMany(kind => new[] { (kind, "path"), (kind, "next") });

    /// <summary>What the published binary says of itself: the installed binary must still say it afterwards.</summary>
    private static async Task<string> VersionOf(string binary)
    {
        var (exit, output, _) = await ProcessRun.RunAsync(binary, ["--version"]);
        return $"{exit}: {output.Trim()}";
    }

    /// <summary>Puts the bad file where a restart would exec it; returns the restart's arguments (a staged binary needs a reason that installs it).</summary>
    private static JsonObject Stage(BinaryCopy binary, string kind, string where)
    {
        if (where == "path")
        {
            ForeignBinary.ReplaceWith(kind, binary.Path);
            return new JsonObject();
        }
        ForeignBinary.Make(kind, binary.Path + ".next");
        return new JsonObject { ["reason"] = "configuration_update" };
    }

    private static async Task AssertRefusedAsync(JsonObject error, string where)
    {
        await Assert.That(error["error_code"]!.GetValue<string>()).IsEqualTo("PROCESS_FAILED");
        await Assert.That(error["phase"]!.GetValue<string>()).IsEqualTo("preparation_failed");
        await Assert.That(error["error"]!.GetValue<string>()).Contains("cannot take over");
        if (where == "next") await Assert.That(error["error"]!.GetValue<string>()).StartsWith("staged upgrade");
    }

    [Test]
    [MethodDataSource(nameof(Cases))]
    public async Task Over_stdio_a_file_that_cannot_take_over_is_refused_before_anything_changes(string kind, string where)
    {
        using var data = new TempDirectory();
        using var binary = new BinaryCopy();
        var expectedVersion = await VersionOf(PublishedBinary.Path);
        await using var client = await McpStdioClient.StartInitializedAsync(data.Path, binary: binary.Path);
        var pid = client.Pid;
        var before = await TaskProbe.AssertWritableAsync(client);
        var arguments = Stage(binary, kind, where);

        // Health sees it before a restart is even asked for.
        var readiness = (await client.CallToolAsync("orchestrator_health_check")).Structured()["checks"]!["reboot_readiness"]!;
        await Assert.That(readiness["ready"]!.GetValue<bool>()).IsFalse();
        await Assert.That(readiness["issues"]!.AsArray().Select(i => i!.GetValue<string>()).Any(i => i.Contains("cannot take over"))).IsTrue();

        var error = (await client.CallToolAsync("orchestrator_restart_server", arguments)).Error();

        await AssertRefusedAsync(error, where);
        await Assert.That(client.Pid).IsEqualTo(pid);
        await Assert.That(client.HasExited).IsFalse();
        await Assert.That((await TaskProbe.HistoryAsync(client))["total_restarts"]!.GetValue<int>()).IsEqualTo(0);
        await TaskProbe.AssertTaskExistsAsync(client, before);
        await TaskProbe.AssertWritableAsync(client);
        if (where == "next")
        {
            // Nothing installed: the staged file waits where it was, the installed binary is the one that was running.
            await Assert.That(File.Exists(binary.Path + ".next")).IsTrue();
            await Assert.That(File.Exists(binary.Path + ".previous")).IsFalse();
            await Assert.That(await VersionOf(binary.Path)).IsEqualTo(expectedVersion);
            await Assert.That(client.Stderr).Contains("left in place, not installed");
        }
        await Assert.That(await client.StopAsync()).IsEqualTo(0);
    }

    [Test]
    [MethodDataSource(nameof(Cases))]
    public async Task Over_http_a_file_that_cannot_take_over_is_refused_before_anything_changes(string kind, string where)
    {
        using var data = new TempDirectory();
        using var binary = new BinaryCopy();
        var expectedVersion = await VersionOf(PublishedBinary.Path);
        await using var server = await HttpServerProcess.StartBinaryAsync(binary.Path, data.Path, null);
        using var client = new McpHttpClient(server.Url);
        await client.InitializeAsync();
        var arguments = Stage(binary, kind, where);

        var error = (await client.CallToolAsync("orchestrator_restart_server", arguments)).Result().Error();

        await AssertRefusedAsync(error, where);
        await Assert.That(server.HasExited).IsFalse();
        // The same connection and session go on with the old image.
        var health = (await client.CallToolAsync("orchestrator_health_check")).Result().Structured();
        await Assert.That(health["checks"]!["reboot_readiness"]!["ready"]!.GetValue<bool>()).IsFalse();
        var status = (await client.CallToolAsync("orchestrator_restart_status", new JsonObject { ["include_history"] = true })).Result().Structured();
        await Assert.That(status["history"]!["total_restarts"]!.GetValue<int>()).IsEqualTo(0);
        await Assert.That(status["current_status"]!["maintenance_mode"]!.GetValue<bool>()).IsFalse();
        await Assert.That(client.ConnectionsOpened).IsEqualTo(1);
        await Assert.That(server.ServingAnnouncements).IsEqualTo(1);
        if (where == "next")
        {
            await Assert.That(File.Exists(binary.Path + ".next")).IsTrue();
            await Assert.That(await VersionOf(binary.Path)).IsEqualTo(expectedVersion);
        }
    }

    [Test]
    public async Task A_binary_replaced_by_another_good_one_is_probed_and_execd()
    {
        using var data = new TempDirectory();
        using var binary = new BinaryCopy();
        await using var client = await McpStdioClient.StartInitializedAsync(data.Path, binary: binary.Path);
        var pid = client.Pid;
        // An install that renames a fresh copy over the path: another file, which answers the probe as an Orchestrator.
        var staging = binary.Path + ".incoming";
        ExecutableCopy.Make(PublishedBinary.Path, staging);
        File.Move(staging, binary.Path, overwrite: true);

        var restart = (await client.CallToolAsync("orchestrator_restart_server")).Structured();

        await Assert.That(restart["phase"]!.GetValue<string>()).IsEqualTo("complete");
        await Assert.That(restart["pid"]!.GetValue<int>()).IsEqualTo(pid);
        var health = (await client.CallToolAsync("orchestrator_health_check")).Structured();
        await Assert.That(health["checks"]!["reboot_readiness"]!["ready"]!.GetValue<bool>()).IsTrue();
    }

    /// <summary>
    /// Releases that are Orchestrators but could not take over from this one: one that only reads an older snapshot
    /// format (it would refuse what this image hands over), one that knows an older store schema (it would refuse the
    /// store). Copies of the published binary acting as those releases (the <c>build-identity</c> test hook).
    /// </summary>
    [Test]
    [Arguments("snapshot-format=1", "cannot read snapshot format")]
    [Arguments("schema-version=1", "older than the store's")]
    public async Task A_staged_release_that_cannot_read_what_this_one_hands_over_is_refused(string trailer, string reason)
    {
        using var install = new TempDirectory();
        using var data = new TempDirectory();
        var environment = new Dictionary<string, string> { ["ORCHESTRATOR_TEST_HOOKS"] = "build-identity" };
        var binary = Path.Combine(install.Path, "orchestrator");
        ExecutableCopy.Make(PublishedBinary.Path, binary, "\n#orchestrator-test-build version=1.0.0-test\n");
        ExecutableCopy.Make(PublishedBinary.Path, binary + ".next", $"\n#orchestrator-test-build version=0.5.0-test {trailer}\n");
        await using var client = await McpStdioClient.StartInitializedAsync(data.Path, environment, binary);
        var pid = client.Pid;

        var error = (await client.CallToolAsync("orchestrator_restart_server", new JsonObject { ["reason"] = "schema_migration" })).Error();

        await Assert.That(error["error_code"]!.GetValue<string>()).IsEqualTo("PROCESS_FAILED");
        await Assert.That(error["error"]!.GetValue<string>()).Contains("0.5.0-test").And.Contains(reason);
        await Assert.That(client.Pid).IsEqualTo(pid);
        await Assert.That(File.Exists(binary + ".next")).IsTrue();
        await Assert.That((await client.CallToolAsync("orchestrator_health_check")).Structured()["server_version"]!.GetValue<string>())
            .IsEqualTo("1.0.0-test");
    }
}
