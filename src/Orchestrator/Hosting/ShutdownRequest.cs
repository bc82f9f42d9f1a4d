using Orchestrator.Reboot;

namespace Orchestrator.Hosting;

/// <summary>
/// How a server told to end by SIGTERM or SIGINT ends: it stops taking requests, lets the calls in flight finish for at
/// most <see cref="Bound"/> (<c>--shutdown-timeout</c>; a second signal cuts the wait short), then checkpoints the store and
/// exits with status 0, the signal handled.
/// </summary>
internal sealed record ShutdownRequest(TerminationSignals Signals, TimeSpan Bound)
{
    /// <summary>The default bound: under the 10 s a container engine allows between SIGTERM and SIGKILL.</summary>
    public static readonly TimeSpan DefaultBound = TimeSpan.FromSeconds(5);

    /// <summary>Waits for <paramref name="finished"/> at most <see cref="Bound"/> (plus <paramref name="grace"/>) or until a second signal; true when it finished.</summary>
    public async Task<bool> WaitAsync(Task finished, TimeSpan grace = default)
    {
        using var expiry = new CancellationTokenSource(Bound + grace);
        var bound = Task.Delay(Timeout.Infinite, expiry.Token);
        var first = await Task.WhenAny(finished, bound, Signals.Hurried).ConfigureAwait(false);
        return first == finished;
    }
}
