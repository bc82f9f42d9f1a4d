using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;

namespace Orchestrator.Http;

/// <summary>
/// Kestrel's source of connections: the ones a previous image handed over (first), then those accepted from the
/// inherited listening socket. Accepting runs on its own thread so that it can be stopped between two accepts: a
/// connection is either accepted before a hand-over (and handed over) or left in the kernel's backlog for the next
/// image, never accepted and then dropped. A connection goes to Kestrel's accept queue once the <see cref="HttpFront"/>
/// leaves it (at its first request that is not a session's plain call), not before.
/// </summary>
internal sealed class HandoverConnectionListener : IConnectionListener
{
    private const int PollIntervalMs = 200;

    private readonly ListeningSocket _socket;
    private readonly ConnectionRegistry _registry;
    private readonly HttpFront _front;
    private readonly Channel<HandoverConnection> _ready = Channel.CreateUnbounded<HandoverConnection>();
    private readonly object _acceptLock = new();
    private readonly ManualResetEventSlim _acceptAllowed = new(true);
    private volatile bool _disposed;
    private long _nextId;

    /// <param name="front">Answers a session's plain calls before Kestrel is handed the connection.</param>
    public HandoverConnectionListener(ListeningSocket socket, ConnectionRegistry registry, IEnumerable<Socket> adopted, HttpFront front)
    {
        _socket = socket;
        _registry = registry;
        _front = front;
        EndPoint = socket.LocalEndPoint;
        foreach (var connection in adopted) Offer(connection);
        new Thread(AcceptLoop) { Name = "http-accept", IsBackground = true }.Start();
    }

    public EndPoint EndPoint { get; }

    /// <summary>Stops accepting; returns once no accept is under way, so every accepted connection is registered.</summary>
    public void PauseAccepting()
    {
        _acceptAllowed.Reset();
        lock (_acceptLock) { }
    }

    public void ResumeAccepting() => _acceptAllowed.Set();

    private void AcceptLoop()
    {
        while (!_disposed)
        {
            _acceptAllowed.Wait();
            if (!_socket.WaitPending(PollIntervalMs)) continue;
            lock (_acceptLock)
            {
                if (!_acceptAllowed.IsSet || _disposed) continue;
                Socket? accepted;
                try
                {
                    accepted = _socket.TryAccept();
                }
                catch (SocketException)
                {
                    continue;
                }
                if (accepted is not null) Offer(accepted);
            }
        }
    }

    /// <summary>Serves a connection handed over by the previous image.</summary>
    public void Adopt(Socket socket) => Offer(socket);

    private void Offer(Socket socket)
    {
        socket.NoDelay = true;
        var connection = new HandoverConnection(socket, _registry, $"c{Interlocked.Increment(ref _nextId)}", _front, c => _ready.Writer.TryWrite(c));
        _registry.Add(connection);
        connection.Start();
    }

    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await _ready.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            return null;
        }
    }

    public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        _disposed = true;
        _ready.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _disposed = true;
        _ready.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }
}

/// <summary>The endpoint Kestrel is told to listen on; binding it hands Kestrel our listener instead of a new socket.</summary>
internal sealed class HandoverEndPoint(HandoverConnectionListener listener) : EndPoint
{
    public HandoverConnectionListener Listener { get; } = listener;

    public override string ToString() => Listener.EndPoint.ToString() ?? "handover";
}

internal sealed class HandoverListenerFactory : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    public bool CanBind(EndPoint endpoint) => endpoint is HandoverEndPoint;

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default) =>
        endpoint is HandoverEndPoint handover
            ? ValueTask.FromResult<IConnectionListener>(handover.Listener)
            : throw new NotSupportedException($"cannot bind {endpoint}");
}
