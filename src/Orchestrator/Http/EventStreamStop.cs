namespace Orchestrator.Http;

/// <summary>
/// Ends the server's long-lived event streams (the board's, and the MCP sessions' standalone streams) when the server
/// that serves them is about to restart in place or stop: a restart waits for every HTTP connection to reach a request
/// boundary, and an event stream never would by itself. The clients reconnect on their own (the board's EventSource, an
/// MCP client after the stream's <c>retry</c>) and the next image serves them. Renewed after each end, for a restart
/// abandoned before its exec and the ones after it.
/// </summary>
internal sealed class EventStreamStop
{
    private CancellationTokenSource _current = new();

    /// <summary>Cancelled when the streams open now must end.</summary>
    public CancellationToken Token => Volatile.Read(ref _current).Token;

    /// <summary>Ends every stream open now; streams opened afterwards get a fresh token.</summary>
    public void EndAll()
    {
        var ending = Interlocked.Exchange(ref _current, new CancellationTokenSource());
        ending.Cancel();
        ending.Dispose();
    }
}
