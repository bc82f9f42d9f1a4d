using System.Net;
using System.Text.Json.Nodes;
using Orchestrator.Tests.EndToEnd;

namespace Orchestrator.Tests.Http;

/// <summary>
/// A flood of sessions over HTTP: the server keeps at most its maximum (forgetting the longest idle first, whose
/// requests then get 404), reconnect_test names a page of them and counts the rest, and a restart carries no more.
/// </summary>
public sealed class SessionLimitTests
{
    [Test]
    public async Task A_session_flood_is_bounded_the_longest_idle_go_first_and_a_restart_carries_no_more()
    {
        const int Max = 30;
        const int Flood = 45;
        using var data = new TempDirectory();
        await using var server = await HttpServerProcess.StartAsync(data.Path, "--no-rate-limits", "--http-max-sessions", $"{Max}");
        using var keeper = new McpHttpClient(server.Url);
        await keeper.InitializeAsync();
        using var oldest = new McpHttpClient(server.Url);
        await oldest.InitializeAsync();

        for (var i = 0; i < Flood; i++)
        {
            // The keeper stays active through the flood; the other early session goes idle.
            if (i % 10 == 0) await Assert.That((await keeper.CallToolAsync("orchestrator_health_check")).Result()["isError"]?.GetValue<bool>() ?? false).IsFalse();
            using var flood = new McpHttpClient(server.Url);
            await flood.InitializeAsync();
        }

        var test = (await keeper.CallToolAsync("orchestrator_reconnect_test")).Result().Structured();
        var all = test["results"]!["all_sessions"]!;
        await Assert.That(all["total_sessions"]!.GetValue<int>()).IsEqualTo(Max);
        var status = all["status"]!.GetValue<string>();
        await Assert.That(status.Split("; session ").Length).IsEqualTo(20); // a page of the most recently active...
        await Assert.That(status).EndsWith($"and {Max - 20} more (the 20 most recently active listed)"); // ...and a count of the rest

        // The idle early session was forgotten: its requests get the spec's 404; the active one is still served.
        var (gone, _) = await oldest.PostAsync("tools/list", new JsonObject());
        await Assert.That(gone).IsEqualTo(HttpStatusCode.NotFound);

        var restart = (await keeper.CallToolAsync("orchestrator_restart_server", new JsonObject { ["reason"] = "manual_request" })).Result().Structured();
        await Assert.That(restart["success"]!.GetValue<bool>()).IsTrue();
        var after = (await keeper.CallToolAsync("orchestrator_reconnect_test", new JsonObject { ["session_id"] = keeper.SessionId })).Result().Structured();
        await Assert.That(after["results"]!["all_sessions"]!["total_sessions"]!.GetValue<int>()).IsEqualTo(Max);
        await Assert.That(after["results"]!["session_test"]!["status"]!.GetValue<string>()).Contains("1 restart(s) survived");
    }
}
