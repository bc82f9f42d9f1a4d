using Orchestrator.Orchestration.Mcp;
using Orchestrator.Reboot;
using Orchestrator.Tooling;

namespace Orchestrator.Hosting;

/// <summary>One way of serving MCP (stdio, or Streamable HTTP), as <see cref="ServerHost"/> drives it through the start of an image.</summary>
internal interface IServingMode : IDisposable
{
    /// <summary>What a restart quiesces and hands over.</summary>
    IRestartTransport Restart { get; }

    /// <summary>What the reboot tools report of the clients.</summary>
    IClientConnections Clients { get; }

    /// <summary>Where the answer to a restart call left pending by the previous image goes.</summary>
    void AnswerPendingRestart(ReadOnlySpan<byte> jsonRpcMessage);

    /// <summary>
    /// After an in-place restart into an image that serves other lists: tells the clients able to hear it
    /// (<c>notifications/{kind}/list_changed</c>, e.g. <c>tools</c>), before anything else this image answers.
    /// </summary>
    void AnnounceListsChanged(IReadOnlyList<string> kinds);

    /// <summary>Starts what can start before the store is open (on other threads); requests wait until <see cref="ServeAsync"/>.</summary>
    void BeginStarting(ToolTable tools, McpSurface surface);

    /// <summary>
    /// Serves until the client goes (stdio: end of input) or a termination signal asks the server to end, then stops as
    /// <paramref name="shutdown"/> says; the exit status.
    /// </summary>
    Task<int> ServeAsync(ToolTable tools, ShutdownRequest shutdown);
}
