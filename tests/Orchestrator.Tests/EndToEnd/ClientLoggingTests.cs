using System.Text.Json.Nodes;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>MCP logging: log messages reach the client only once it asked for them, at its level, across a restart.</summary>
public class ClientLoggingTests
{
    private static bool IsLog(JsonObject n, string text) =>
        n["method"]!.GetValue<string>() == "notifications/message" && n["params"]!["data"]!.GetValue<string>().Contains(text);

    [Test]
    public async Task Logs_go_to_the_client_after_logging_setLevel_and_the_level_survives_a_restart()
    {
        using var data = new TempDirectory();
        await using var client = await McpStdioClient.StartInitializedAsync(data.Path);

        await client.CallToolAsync("orchestrator_restart_server");
        await Assert.That(client.Notifications.Any(n => n["method"]!.GetValue<string>() == "notifications/message")).IsFalse();

        var setLevel = await client.SendAsync("logging/setLevel", new JsonObject { ["level"] = "info" });
        await Assert.That(setLevel.ContainsKey("result")).IsTrue();
        await client.CallToolAsync("orchestrator_restart_server");

        // Logged by the old image before the exec, and by the new one after it: the level travelled in the session.
        var requested = await client.WaitForNotificationAsync(n => IsLog(n, "Restart 2 requested"));
        var completed = await client.WaitForNotificationAsync(n => IsLog(n, "Restart 2 complete"));
        await Assert.That(requested["params"]!["level"]!.GetValue<string>()).IsEqualTo("info");
        await Assert.That(completed["params"]!["logger"]!.GetValue<string>()).IsEqualTo("Orchestrator");

        // Raising the level to error silences information messages.
        await client.SendAsync("logging/setLevel", new JsonObject { ["level"] = "error" });
        await client.CallToolAsync("orchestrator_restart_server");
        await client.CallToolAsync("orchestrator_health_check");
        await Assert.That(client.Notifications.Any(n => IsLog(n, "Restart 3"))).IsFalse();
    }
}
