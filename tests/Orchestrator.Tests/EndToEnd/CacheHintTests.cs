using System.Text.Json.Nodes;
using Orchestrator.Tests.Http;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>
/// The caching hints (SEP-2549, docs/resources.md) on list and read results, against the published binary: the lists
/// fixed per binary (tools, prompts, resource templates) may be kept five minutes by any cache, the store's resources
/// are stale at once and private. Over stdio (the fast path, also in an image resumed in place) and over HTTP on both
/// revisions (the SDK's handlers). The 2026-07-28 suite checks the same over HTTP (NextRevisionConformanceTests).
/// </summary>
public class CacheHintTests
{
    private const int FixedPerBinaryTtlMs = 300_000;

    private static readonly string[] FixedPerBinary = ["tools/list", "prompts/list", "resources/templates/list"];

    private static async Task AssertHints(JsonObject result, string method, int ttlMs, string scope)
    {
        await Assert.That(result["ttlMs"]?.GetValue<int>()).IsEqualTo(ttlMs).Because($"{method}: {result.ToJsonString()}");
        await Assert.That(result["cacheScope"]?.GetValue<string>()).IsEqualTo(scope).Because($"{method}: {result.ToJsonString()}");
    }

    [Test]
    public async Task Stdio_lists_and_reads_carry_their_hints_before_and_after_an_in_place_restart()
    {
        using var data = new TempDirectory();
        await using var server = await RestartableServer.StartAsync(data.Path);
        await AssertStdioHints(server.Client);

        await server.RestartInPlaceAsync();
        await AssertStdioHints(server.Client);
    }

    private static async Task AssertStdioHints(McpStdioClient client)
    {
        foreach (var method in FixedPerBinary)
            await AssertHints(await client.RequestAsync(method), method, FixedPerBinaryTtlMs, "public");
        // The tools are listed with their hints, not instead of them.
        await Assert.That((await client.RequestAsync("tools/list"))["tools"]!.AsArray().Count).IsGreaterThan(0);

        var resources = await client.RequestAsync("resources/list");
        await AssertHints(resources, "resources/list", 0, "private");
        var uri = resources["resources"]![0]!["uri"]!.GetValue<string>();
        await AssertHints(await client.RequestAsync("resources/read", new JsonObject { ["uri"] = uri }), "resources/read", 0, "private");
    }

    [Test]
    public async Task Http_lists_and_reads_carry_their_hints_on_both_revisions()
    {
        using var data = new TempDirectory();
        await using var server = await HttpServerProcess.StartAsync(data.Path);
        foreach (var protocol in new[] { McpHttpClient.SessionProtocol, McpHttpClient.StatelessProtocol })
        {
            using var client = new McpHttpClient(server.Url, protocol);
            if (protocol == McpHttpClient.SessionProtocol) await client.InitializeAsync();
            foreach (var method in FixedPerBinary)
                await AssertHints(await ResultAsync(client, method), $"{protocol} {method}", FixedPerBinaryTtlMs, "public");
            await Assert.That((await ResultAsync(client, "tools/list"))["tools"]!.AsArray().Count).IsGreaterThan(0);

            var resources = await ResultAsync(client, "resources/list");
            await AssertHints(resources, $"{protocol} resources/list", 0, "private");
            var uri = resources["resources"]![0]!["uri"]!.GetValue<string>();
            await AssertHints(await ResultAsync(client, "resources/read", new JsonObject { ["uri"] = uri }), $"{protocol} resources/read", 0, "private");
        }
    }

    [Test]
    public async Task A_uri_naming_nothing_is_minus_32602_under_2026_07_28_and_minus_32002_before()
    {
        using var data = new TempDirectory();
        await using var client = McpStdioClient.Start(data.Path);
        await client.InitializeAsync();
        const string unknown = "orchestrator://tasks/task_000000000000";

        var before = (await client.SendAsync("resources/read", new JsonObject { ["uri"] = unknown }))["error"]!;
        await Assert.That(before["code"]!.GetValue<int>()).IsEqualTo(-32002);
        await Assert.That(before["data"]!["uri"]!.GetValue<string>()).IsEqualTo(unknown);

        // A 2026-07-28 request names its revision in its _meta (SEP-2575); SEP-2164 makes the code invalid params.
        var next = (await client.SendAsync("resources/read", new JsonObject
        {
            ["uri"] = unknown,
            ["_meta"] = new JsonObject { ["io.modelcontextprotocol/protocolVersion"] = "2026-07-28" },
        }))["error"]!;
        await Assert.That(next["code"]!.GetValue<int>()).IsEqualTo(-32602);
        await Assert.That(next["data"]!["uri"]!.GetValue<string>()).IsEqualTo(unknown);

        using var httpData = new TempDirectory();
        await using var server = await HttpServerProcess.StartAsync(httpData.Path);
        using var stateless = new McpHttpClient(server.Url, McpHttpClient.StatelessProtocol);
        var (_, answer) = await stateless.PostAsync("resources/read", new JsonObject { ["uri"] = unknown }, unknown);
        await Assert.That(answer!["error"]!["code"]!.GetValue<int>()).IsEqualTo(-32602);
        await Assert.That(answer["error"]!["data"]!["uri"]!.GetValue<string>()).IsEqualTo(unknown);
    }

    /// <summary>The result of one request (a 2026-07-28 request names its resource in Mcp-Name too, SEP-2243).</summary>
    private static async Task<JsonObject> ResultAsync(McpHttpClient client, string method, JsonObject? parameters = null)
    {
        var (status, answer) = await client.PostAsync(method, parameters ?? new JsonObject(), parameters?["uri"]?.GetValue<string>());
        return answer?["result"]?.AsObject() ?? throw new InvalidOperationException($"{method}: HTTP {(int)status}: {answer?.ToJsonString()}");
    }
}
