using System.Text.Json.Nodes;
using Orchestrator.Tests.EndToEnd;

namespace Orchestrator.Tests.Http;

/// <summary>
/// What one connection can do to a restart over HTTP: an idle keep-alive connection is at a request boundary and
/// never holds one; a connection that has not finished sending its request head does not hold one either.
/// </summary>
public sealed class ConnectionBoundaryTests
{
    private const int Restarts = 12;
    private const int IdleClients = 3;

    [Test]
    public async Task Idle_keep_alive_connections_never_hold_a_restart()
    {
        using var data = new TempDirectory();
        await using var server = await HttpServerProcess.StartAsync(data.Path, "--no-rate-limits");
        var idle = new List<RawHttpConnection>();
        for (var i = 0; i < IdleClients; i++)
        {
            var connection = await RawHttpConnection.OpenAsync(server.Url);
            await connection.InitializeAsync($"idle-{i}");
            idle.Add(connection);
        }
        using var restarter = await RawHttpConnection.OpenAsync(server.Url);
        await restarter.InitializeAsync("restarter");

        for (var restart = 1; restart <= Restarts; restart++)
        {
            // Each idle client asks once (head and body in two segments, as HTTP clients often write them), reads its
            // answer, and then sends nothing: its connection is at a request boundary when the restart comes.
            foreach (var connection in idle)
                await Assert.That((await connection.CallToolAsync("orchestrator_health_check")).Result().Structured()["healthy"]!.GetValue<bool>()).IsTrue();
            var answer = (await restarter.CallToolAsync("orchestrator_restart_server",
                new JsonObject { ["reason"] = "manual_request", ["timeout"] = 10 })).Result();
            await Assert.That(answer["isError"]?.GetValue<bool>() ?? false).IsFalse().Because($"restart {restart}: {answer.ToJsonString()}");
            await Assert.That(answer.Structured()["pid"]!.GetValue<int>()).IsEqualTo(server.Pid);
        }

        // Every idle connection was handed over each time: still open, its session still served, by the last image. (An
        // image restarted before its HTTP host started never announces serving: its front answered meanwhile.)
        foreach (var connection in idle)
        {
            var health = (await connection.CallToolAsync("orchestrator_health_check")).Result().Structured();
            await Assert.That(health["healthy"]!.GetValue<bool>()).IsTrue();
            await Assert.That(health["restart_generation"]!.GetValue<int>()).IsEqualTo(Restarts);
        }
        foreach (var connection in idle) connection.Dispose();
    }

    [Test]
    [Arguments(false)]
    [Arguments(true)]
    public async Task Connections_still_sending_a_request_head_do_not_hold_a_restart_and_are_closed_by_it(bool withToken)
    {
        const int Slow = 20;
        const string Token = "slow-test-token";
        using var data = new TempDirectory();
        await using var server = withToken
            ? await HttpServerProcess.StartAsync(data.Path, "--no-rate-limits", "--auth-token", Token)
            : await HttpServerProcess.StartAsync(data.Path, "--no-rate-limits");
        using var restarter = await RawHttpConnection.OpenAsync(server.Url, token: withToken ? Token : null);
        await restarter.InitializeAsync("restarter");

        // Slowloris: each connection sends part of a request head (no token yet, no empty line) and then stalls.
        var slow = new List<RawHttpConnection>();
        for (var i = 0; i < Slow; i++)
        {
            var connection = await RawHttpConnection.OpenAsync(server.Url);
            await connection.SendRawAsync($"POST /mcp HTTP/1.1\r\nHost: {server.Url.Authority}\r\nContent-Type: application/json\r\nX-Slow: a");
            slow.Add(connection);
        }
        // The server has taken those bytes off every socket: each connection is mid-head in this image.
        foreach (var connection in slow) await ServerSocketQueue.WaitUntilReadAsync(server.Url.Port, connection.Socket);

        var answer = (await restarter.CallToolAsync("orchestrator_restart_server",
            new JsonObject { ["reason"] = "manual_request", ["timeout"] = 10 })).Result();
        await Assert.That(answer["isError"]?.GetValue<bool>() ?? false).IsFalse().Because(answer.ToJsonString());
        await Assert.That(answer.Structured()["pid"]!.GetValue<int>()).IsEqualTo(server.Pid);

        // What docs/http.md promises: such a connection is closed by the restart, without an answer.
        foreach (var connection in slow) await Assert.That(await connection.ClosedByServerAsync()).IsTrue();
        // The restart call's connection was handed over and serves on.
        await Assert.That((await restarter.CallToolAsync("orchestrator_health_check")).Result().Structured()["healthy"]!.GetValue<bool>()).IsTrue();
        foreach (var connection in slow) connection.Dispose();
    }

    [Test]
    public async Task A_refused_request_leaves_its_connection_at_a_boundary_or_closes_it()
    {
        const string Token = "refusal-test-token";
        using var data = new TempDirectory();
        await using var server = await HttpServerProcess.StartAsync(data.Path, "--no-rate-limits", "--auth-token", Token);
        using var restarter = await RawHttpConnection.OpenAsync(server.Url, token: Token);
        await restarter.InitializeAsync("restarter");

        // A GET outside any session (no standalone stream there: 405) on a keep-alive connection that then stays idle.
        using var getter = await RawHttpConnection.OpenAsync(server.Url, token: Token);
        await getter.SendRawAsync($"GET /mcp HTTP/1.1\r\nHost: {server.Url.Authority}\r\nAuthorization: Bearer {Token}\r\n\r\n");
        await Assert.That((await getter.ReadResponseAsync()).Status).IsEqualTo(405);
        // A request without the token: 401, and the server closes the connection rather than wait for more from it.
        using var intruder = await RawHttpConnection.OpenAsync(server.Url);
        var body = """{"jsonrpc":"2.0","id":1,"method":"ping"}""";
        await intruder.SendRawAsync(intruder.Head(body.Length) + body);
        var (status, headers, _) = await intruder.ReadResponseAsync();
        await Assert.That(status).IsEqualTo(401);
        await Assert.That(headers["connection"]).IsEqualTo("close");
        await Assert.That(await intruder.ClosedByServerAsync()).IsTrue();

        var answer = (await restarter.CallToolAsync("orchestrator_restart_server",
            new JsonObject { ["reason"] = "manual_request", ["timeout"] = 10 })).Result();
        await Assert.That(answer["isError"]?.GetValue<bool>() ?? false).IsFalse().Because(answer.ToJsonString());

        // The idle connection crossed the restart and is served by the new image.
        await getter.InitializeAsync("after-405");
        await Assert.That((await getter.CallToolAsync("orchestrator_health_check")).Result().Structured()["healthy"]!.GetValue<bool>()).IsTrue();
    }
}
