using System.Text.Json;

namespace Orchestrator.Cli;

/// <summary>
/// The server the demo started and talks to as an MCP client, over stdio or Streamable HTTP. Calls may block until
/// the server answers; <see cref="Kill"/> ends any that wait on a server that will not.
/// </summary>
internal interface IDemoServer : IDisposable
{
    /// <summary>How the demo talks to it, for the narration: "MCP over stdio", or "MCP over Streamable HTTP at URL".</summary>
    string Transport { get; }

    /// <summary>The PID the operating system gave the server when the demo started it.</summary>
    int Pid { get; }

    /// <summary>Whether that process is still running (an in-place restart keeps it).</summary>
    bool IsRunning { get; }

    /// <summary>The MCP handshake (initialize, then notifications/initialized), done once.</summary>
    Task InitializeAsync();

    /// <summary>The JSON-RPC answer to a tools/call, as the server wrote it.</summary>
    Task<string> CallToolAsync(string tool, string argumentsJson);

    /// <summary>
    /// Asks the server to stop as its client would (stdin closed; over HTTP, SIGTERM) and waits for it: its exit status,
    /// or null when it did not stop within <paramref name="timeout"/> and was killed.
    /// </summary>
    Task<int?> StopAsync(TimeSpan timeout);

    void Kill();

    /// <summary>What the server said on stderr lately, when the demo kept it (null when it went to the terminal).</summary>
    string? RecentLog { get; }
}
