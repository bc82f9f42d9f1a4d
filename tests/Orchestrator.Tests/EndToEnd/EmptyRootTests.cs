using System.Text.Json.Nodes;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>
/// What a scratch container image proves, without a container engine: the static binary alone (plus the two device
/// nodes every container runtime provides) serves MCP and restarts in place inside an otherwise empty root.
/// </summary>
public class EmptyRootTests
{
    [Test]
    public async Task The_static_binary_serves_and_restarts_in_place_in_an_empty_root()
    {
        using var root = await EmptyRootAsync();

        await using var client = McpStdioClient.StartCommand("chroot", [root.Path, "/orchestrator", "--data-dir", "/data"]);
        await client.InitializeAsync();
        var tools = (await client.RequestAsync("tools/list"))["tools"]!.AsArray();
        await Assert.That(tools.Count).IsEqualTo(ServedTools.Count);
        var pid = client.Pid;
        var restart = (await client.CallToolAsync("orchestrator_restart_server")).Structured();
        await Assert.That(restart["phase"]!.GetValue<string>()).IsEqualTo("complete");
        await Assert.That(restart["pid"]!.GetValue<int>()).IsGreaterThan(0);
        var health = (await client.CallToolAsync("orchestrator_health_check")).Structured();
        await Assert.That(health["healthy"]!.GetValue<bool>()).IsTrue();
        await Assert.That(client.Pid).IsEqualTo(pid);
        await Assert.That(await client.StopAsync()).IsEqualTo(0);

        // Nothing but the binary, the two device nodes and the data directory it was told to use.
        var entries = Directory.GetFileSystemEntries(root.Path).Select(e => Path.GetFileName(e)!).Order().ToArray();
        await Assert.That(entries).IsEquivalentTo(["data", "dev", "orchestrator"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(File.Exists(Path.Combine(root.Path, "data", "orchestrator.db"))).IsTrue();
    }

    [Test]
    public async Task The_static_binary_serves_http_as_the_dockerfile_configures_it_and_restarts_in_place_in_an_empty_root()
    {
        using var root = await EmptyRootAsync();

        // The Dockerfile's environment (port 0 instead of 8080, so that tests never collide), plus a token.
        var environment = new Dictionary<string, string>
        {
            ["ORCHESTRATOR_DATA_DIR"] = "/data",
            ["ORCHESTRATOR_HTTP"] = "0.0.0.0:0",
            ["ORCHESTRATOR_HTTP_ALLOW_REMOTE"] = "1",
            ["ORCHESTRATOR_AUTH_TOKEN"] = "container-token",
        };
        await using var server = await Orchestrator.Tests.Http.HttpServerProcess.StartCommandAsync("chroot", [root.Path, "/orchestrator"], environment);
        using var client = new Orchestrator.Tests.Http.McpHttpClient(server.Url, token: "container-token");
        await client.InitializeAsync();
        var restart = (await client.CallToolAsync("orchestrator_restart_server", new JsonObject { ["reason"] = "manual_request" })).Result().Structured();
        await Assert.That(restart["phase"]!.GetValue<string>()).IsEqualTo("complete");
        var health = (await client.CallToolAsync("orchestrator_health_check")).Result().Structured();
        await Assert.That(health["healthy"]!.GetValue<bool>()).IsTrue();
        await Assert.That(health["checks"]!["connections"]!["transport"]!.GetValue<string>()).IsEqualTo("http");
        await Assert.That(client.ConnectionsOpened).IsEqualTo(1);
        await Assert.That(File.Exists(Path.Combine(root.Path, "data", "orchestrator.db"))).IsTrue();
    }

    /// <summary>A root holding only the static binary (<c>/orchestrator</c>) and the two device nodes every container runtime provides.</summary>
    private static async Task<TempDirectory> EmptyRootAsync()
    {
        var binary = Path.Combine(PublishedBinary.RepositoryRoot, "artifacts", "orchestrator-static");
        if (!File.Exists(binary)) throw new InvalidOperationException($"{binary} does not exist: run ./publish.sh --static (./test.sh does)");
        var root = new TempDirectory();
        ExecutableCopy.Make(binary, Path.Combine(root.Path, "orchestrator"));
        Directory.CreateDirectory(Path.Combine(root.Path, "dev"));
        await Run("mknod", "-m", "444", Path.Combine(root.Path, "dev", "urandom"), "c", "1", "9");
        await Run("mknod", "-m", "666", Path.Combine(root.Path, "dev", "null"), "c", "1", "3");
        return root;
    }

    private static async Task Run(string command, params string[] arguments)
    {
        var (exit, _, error) = await ProcessRun.RunAsync(command, arguments);
        if (exit != 0) throw new InvalidOperationException($"{command} {string.Join(' ', arguments)} failed: {error}");
    }
}
