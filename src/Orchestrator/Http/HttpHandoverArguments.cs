using System.Globalization;

namespace Orchestrator.Http;

/// <summary>
/// The sockets an HTTP image hands to the next one, by descriptor number on the new image's command line (hidden
/// flags). They travel in argv rather than in the snapshot so that a snapshot that cannot be trusted still leaves
/// the next image able to keep listening and to answer the restart call with STATE_CORRUPTION.
/// </summary>
internal sealed class HttpHandoverArguments
{
    public const string ListenFlag = "--http-listen-fd";
    public const string ConnectionsFlag = "--http-connection-fds";
    public const string PendingFlag = "--http-pending-fd";
    public const string PendingStreamFlag = "--http-pending-stream";

    /// <summary>The listening socket.</summary>
    public int? ListenFd { get; set; }

    /// <summary>Idle keep-alive connections, each at a request boundary.</summary>
    public int[] ConnectionFds { get; set; } = [];

    /// <summary>The connection whose request (the restart call) the new image answers first.</summary>
    public int? PendingFd { get; set; }

    /// <summary>The old image had begun that response as an event stream (headers sent, chunked): the answer continues it.</summary>
    public bool PendingStream { get; set; }

    public static IEnumerable<string> Format(int listenFd, IReadOnlyList<int> connectionFds, int? pendingFd, bool pendingStream)
    {
        yield return ListenFlag;
        yield return listenFd.ToString(CultureInfo.InvariantCulture);
        if (connectionFds.Count > 0)
        {
            yield return ConnectionsFlag;
            yield return string.Join(',', connectionFds.Select(fd => fd.ToString(CultureInfo.InvariantCulture)));
        }
        if (pendingFd is { } pending)
        {
            yield return PendingFlag;
            yield return pending.ToString(CultureInfo.InvariantCulture);
            if (pendingStream) yield return PendingStreamFlag;
        }
    }
}
