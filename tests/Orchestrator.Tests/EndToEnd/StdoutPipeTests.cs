using System.Text.Json.Nodes;
using Orchestrator.Transport;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>
/// The server widens the pipe its answers go into (64 KB by default on Linux) so that a large answer, a 100 KB artifact,
/// goes out in one write rather than in pieces each waiting for the client; the pipe is the client's, so it stays wide
/// across an in-place restart, and the new image leaves it so.
/// </summary>
public class StdoutPipeTests
{
    [Test]
    public async Task The_stdout_pipe_is_widened_at_start_and_stays_so_across_an_in_place_restart()
    {
        using var data = new TempDirectory();
        await using var client = await McpStdioClient.StartInitializedAsync(data.Path);
        await Assert.That(client.StdoutPipeBytes()).IsEqualTo(StdoutChannel.PipeBytes);

        var restart = (await client.CallToolAsync("orchestrator_restart_server", new JsonObject { ["reason"] = "manual_request" })).Structured();
        await Assert.That(restart["phase"]!.GetValue<string>()).IsEqualTo("complete");
        await Assert.That(client.StdoutPipeBytes()).IsEqualTo(StdoutChannel.PipeBytes);
    }
}
