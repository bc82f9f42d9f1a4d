using Orchestrator.Benchmarks;

namespace Orchestrator.Cli;

/// <summary>
/// The demo's server over stdio, driven through the benchmark's bare client: this binary started with the demo's
/// data directory, its stderr the demo's (at warning level, so only trouble shows).
/// </summary>
internal sealed class StdioDemoServer(BenchClient client) : IDemoServer
{
    private readonly int _pid = client.Pid;

    public static StdioDemoServer Start(string binary, string dataDirectory) =>
        new(BenchClient.Start(binary, ["--data-dir", dataDirectory]));

    public string Transport => "MCP over stdio";

    public int Pid => _pid;

    public bool IsRunning => client.IsRunningUnderItsFirstPid();

    public string? RecentLog => null;

    public Task InitializeAsync()
    {
        client.Request("initialize", """{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"CLIENT","version":"1"}}"""
            .Replace("CLIENT", DemoScript.ClientName, StringComparison.Ordinal));
        client.WriteLine("""{"jsonrpc":"2.0","method":"notifications/initialized"}""");
        return Task.CompletedTask;
    }

    public Task<string> CallToolAsync(string tool, string argumentsJson) => Task.FromResult(client.CallTool(tool, argumentsJson));

    public Task<int?> StopAsync(TimeSpan timeout) => Task.FromResult(client.Close(timeout));

    public void Kill() => client.Kill();

    public void Dispose() => client.Dispose();
}
