using System.Net.Sockets;
using Orchestrator.Native;
using Orchestrator.Orchestration.Mcp;
using Orchestrator.Reboot;
using Orchestrator.Reboot.Snapshot;

namespace Orchestrator.Http;

/// <summary>
/// The Streamable HTTP transport of one process image, owned by this project so that a restart can hand it over: the
/// listening socket (bound, or inherited from the previous image), the connections (freezable at a request boundary)
/// and the MCP sessions. The SDK's endpoint serves requests over it (<see cref="HttpApplication"/>).
/// </summary>
internal sealed class HttpTransport : IDisposable
{
    private readonly bool _pendingStream;
    private readonly TaskCompletionSource _storeReady = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HttpTransport(HttpOptions options, ListeningSocket socket, HttpSessionCatalog sessions, SseEventStore eventStreams,
        HttpSubscriptions subscriptions, IReadOnlyList<Socket> adopted, Socket? pending, bool pendingStream)
    {
        Subscriptions = subscriptions;
        _pendingStream = pendingStream;
        Options = options;
        Socket = socket;
        Sessions = sessions;
        EventStreams = eventStreams;
        Pending = pending;
        Front = new HttpFront(options, sessions, eventStreams, Calls, StoreReadyTask);
        Listener = new HandoverConnectionListener(socket, Registry, adopted, Front);
    }

    public HttpOptions Options { get; }
    public ListeningSocket Socket { get; }
    public HttpSessionCatalog Sessions { get; }

    /// <summary>The events of the sessions' response streams, kept for clients that resume a cut stream.</summary>
    public SseEventStore EventStreams { get; }

    /// <summary>The sessions' resource subscriptions and the list changes they are to be told of.</summary>
    public HttpSubscriptions Subscriptions { get; }

    /// <summary>The tool calls not answered yet, whether or not their connection is still there.</summary>
    public HttpCallsInFlight Calls { get; } = new();

    public ConnectionRegistry Registry { get; } = new();

    /// <summary>Answers sessions' plain calls before Kestrel is handed their connection (armed with the tools, stopped at shutdown).</summary>
    public HttpFront Front { get; }

    public HandoverConnectionListener Listener { get; }

    /// <summary>Completes once the store is open (and a restart's work resumed): requests wait for it at the gate.</summary>
    public Task StoreReadyTask => _storeReady.Task;

    public void StoreReady() => _storeReady.TrySetResult();

    /// <summary>The connection whose restart call this image must answer before serving it (null at a cold start).</summary>
    public Socket? Pending { get; private set; }

    /// <summary>Binds (cold start) or inherits (after a restart) the sockets; the pending connection is served after its answer.</summary>
    /// <exception cref="SocketException">The address cannot be bound (in use, not local, …).</exception>
    /// <param name="eventStreams">The response streams the previous image kept (<see cref="SseStreamHandover"/>); empty at a cold start.</param>
    /// <param name="subscriptions">The sessions' subscriptions the previous image kept (<see cref="HttpSubscriptionHandover"/>); empty at a cold start.</param>
    public static HttpTransport Start(HttpOptions options, InheritedSockets inherited, IEnumerable<HttpSessionRecord> sessions, ReadOnlySpan<byte> eventStreams,
        ReadOnlySpan<byte> subscriptions, McpSurface surface, TimeProvider clock)
    {
        var socket = inherited.Listening is { } fd ? ListeningSocket.Adopt(fd) : ListeningSocket.Bind(options.EndPoint);
        var adopted = inherited.Idle.Select(AdoptConnection).OfType<Socket>().ToList();
        var pending = inherited.Pending is { } pendingFd ? AdoptConnection(pendingFd) : null;
        var catalog = new HttpSessionCatalog(clock, sessions, options.MaxSessions, options.SessionIdleTimeout);
        return new HttpTransport(options, socket, catalog, SseEventStore.Import(eventStreams, clock), HttpSubscriptions.Import(subscriptions, surface, catalog),
            adopted, pending, inherited.PendingStream);
    }

    private static Socket? AdoptConnection(int fd)
    {
        try
        {
            Libc.SetCloseOnExec(fd, true);
            return new Socket(new SafeSocketHandle(fd, ownsHandle: true));
        }
        catch (SocketException)
        {
            return null; // the client went away during the exec
        }
    }

    /// <summary>
    /// Writes the answer to the restart call on its connection, then serves that connection like the others. The answer
    /// also ends the call's kept stream, so that a client that lost the connection meanwhile resumes and finds it.
    /// </summary>
    public void AnswerPending(ReadOnlySpan<byte> jsonRpcMessage)
    {
        var eventId = EventStreams.FinishPending(jsonRpcMessage);
        if (Pending is not { } socket) return;
        Pending = null;
        if (PendingAnswer.TryWrite(socket, jsonRpcMessage, _pendingStream, eventId)) Listener.Adopt(socket);
        else socket.Dispose();
    }

    public void Dispose()
    {
        Pending?.Dispose();
        Socket.Dispose();
    }
}
