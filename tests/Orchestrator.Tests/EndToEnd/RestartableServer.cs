using System.Text.Json.Nodes;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>
/// The published binary on one data directory, as a client keeps using it across an in-place restart (same process,
/// same pipes, answered by the new image) or a cold start (the process stopped, a new one started and initialized).
/// </summary>
internal sealed class RestartableServer : IAsyncDisposable
{
    private readonly string _dataDirectory;
    private readonly string[] _arguments;

    private RestartableServer(string dataDirectory, string[] arguments, McpStdioClient client) =>
        (_dataDirectory, _arguments, Client) = (dataDirectory, arguments, client);

    public McpStdioClient Client { get; private set; }

    public static async Task<RestartableServer> StartAsync(string dataDirectory, params string[] arguments)
    {
        var client = McpStdioClient.Start(dataDirectory, extraArgs: arguments);
        await client.InitializeAsync();
        return new RestartableServer(dataDirectory, arguments, client);
    }

    /// <summary>A tool's structured result; a tool error fails the test with the error.</summary>
    public async Task<JsonObject> CallAsync(string tool, JsonObject? arguments = null) => (await Client.CallToolAsync(tool, arguments)).Structured();

    /// <summary>A tool's seed-format error; a success fails the test.</summary>
    public async Task<JsonObject> RefusedAsync(string tool, JsonObject? arguments = null) => (await Client.CallToolAsync(tool, arguments)).Error();

    /// <summary>The whole tool result (content, structuredContent, isError) as the client received it.</summary>
    public Task<JsonObject> RawAsync(string tool, JsonObject? arguments = null) => Client.CallToolAsync(tool, arguments);

    /// <summary>orchestrator_restart_server, checked: answered complete by the new image, same PID.</summary>
    public async Task RestartInPlaceAsync()
    {
        var pid = Client.Pid;
        var answer = await CallAsync("orchestrator_restart_server");
        if (answer["phase"]?.GetValue<string>() != "complete" || Client.Pid != pid || Client.HasExited)
            throw new InvalidOperationException("in-place restart did not complete: " + answer.ToJsonString());
    }

    /// <summary>Stops the process (stdin closed: it checkpoints and exits 0) and starts a new one on the same data directory.</summary>
    public async Task ColdStartAsync()
    {
        var exit = await Client.StopAsync();
        if (exit != 0) throw new InvalidOperationException($"server exited {exit}: {Client.Stderr}");
        await Client.DisposeAsync();
        Client = McpStdioClient.Start(_dataDirectory, extraArgs: _arguments);
        await Client.InitializeAsync();
    }

    public ValueTask DisposeAsync() => Client.DisposeAsync();
}
