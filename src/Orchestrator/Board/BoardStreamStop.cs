namespace Orchestrator.Board;

/// <summary>
/// Ends the board's event streams when the server that serves them is about to restart in place: a restart waits for
/// every HTTP connection to reach a request boundary, and an event stream never would by itself. The page's
/// EventSource reconnects on its own and the next image serves it. Renewed after each end, for a restart abandoned
/// before its exec and the ones after it.
/// </summary>
internal sealed class BoardStreamStop
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
