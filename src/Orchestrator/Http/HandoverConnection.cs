using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using Orchestrator.Native;

namespace Orchestrator.Http;

/// <summary>
/// One client connection, served by Kestrel over a socket this process owns, so that it can cross an <c>execv</c>.
/// Its reads can be frozen at a request boundary: data the client sends while frozen stays in the kernel's socket
/// buffer, unread, for the next process image (or for this one, if the restart is abandoned).
/// </summary>
/// <remarks>
/// A restart sees each connection in one of three states (<see cref="RestartView"/>). <b>At a boundary</b>: no request
/// is being served and every byte delivered to Kestrel was consumed by a request that has completed; it is handed
/// over. <b>Sending its request head</b>: bytes arrived since the last request, but not yet the empty line that ends a
/// request head, so no request has begun (a slow or stalled client); it is not read further and does not hold the
/// restart, which closes it (its request never reached the server). <b>In a request</b>: a complete head arrived, the
/// request runs until it is answered, and the restart waits for it.
/// <para>The <see cref="HttpFront"/> answers a session's plain calls on the connection itself, accounted the same way,
/// before Kestrel is handed the connection; the first request it leaves alone, and everything after it, goes to Kestrel
/// as it came.</para>
/// </remarks>
internal sealed class HandoverConnection : ConnectionContext
{
    private const int ReadSize = 8192;

    private readonly Socket _socket;
    private readonly ConnectionRegistry _registry;
    private readonly Pipe _input = new(new PipeOptions(useSynchronizationContext: false));
    private readonly Pipe _output = new(new PipeOptions(useSynchronizationContext: false));
    private readonly CancellationTokenSource _closed = new();
    private readonly object _state = new();
    private long _delivered;
    private long _consumed;
    private long _flushedOut;
    private long _sentOut;
    private int _activeRequests;
    private bool _cleanSinceLastRequest = true;
    private long _lastRequestEnd; // what Kestrel had consumed when the last request ended: where the next one begins
    private readonly RequestHeadScanner _heads = new();
    private bool _frozen;
    private bool _abandoned;
    private bool _reading;
    private Task _receiving = Task.CompletedTask;
    private Task _sending = Task.CompletedTask;
    private TaskCompletionSource _thawed = NewSignal();

    /// <summary>Answers a session's plain calls before Kestrel is handed the connection.</summary>
    private readonly HttpFront _front;

    /// <summary>Hands this connection to Kestrel (its listener's accept queue): once, when the front leaves it.</summary>
    private readonly Action<HandoverConnection> _handToKestrel;

    /// <summary>What the front holds of this connection's bytes: the start of a request it has not answered yet.</summary>
    private byte[] _kept = [];
    private int _keptLength;

    /// <summary>Once a request went to Kestrel, every later byte goes to it too, in order.</summary>
    private bool _leftTheFront;

    /// <param name="handToKestrel">Gives the connection to Kestrel, when the front leaves it.</param>
    public HandoverConnection(Socket socket, ConnectionRegistry registry, string id, HttpFront front, Action<HandoverConnection> handToKestrel)
    {
        _socket = socket;
        _registry = registry;
        _front = front;
        _handToKestrel = handToKestrel;
        ConnectionId = id;
        LocalEndPoint = socket.LocalEndPoint;
        RemoteEndPoint = socket.RemoteEndPoint;
        ConnectionClosed = _closed.Token;
        Transport = new DuplexPipe(new CountingReader(_input.Reader, this), new CountingWriter(_output.Writer, this));
        // Kestrel's request features fall back to the connection's: a request finds its connection as a feature.
        Features.Set(this);
    }

    public override string ConnectionId { get; set; }
    public override IFeatureCollection Features { get; } = new FeatureCollection();
    public override IDictionary<object, object?> Items { get; set; } = new Dictionary<object, object?>();
    public override IDuplexPipe Transport { get; set; }

    /// <summary>The socket's file descriptor: what crosses the exec.</summary>
    public int FileDescriptor => (int)_socket.Handle;

    public void Start()
    {
        _receiving = ReceiveLoopAsync();
        _sending = SendLoopAsync();
    }

    /// <summary>No request in progress and nothing delivered since the last one completed (see the class remarks).</summary>
    public bool AtBoundary
    {
        get { lock (_state) return ViewLocked() == ConnectionRestartView.AtBoundary; }
    }

    /// <summary>Where this connection stands for a restart (see the class remarks).</summary>
    public ConnectionRestartView RestartView
    {
        get { lock (_state) return ViewLocked(); }
    }

    private ConnectionRestartView ViewLocked()
    {
        if (_activeRequests > 0 || _reading || _flushedOut != _sentOut || RequestHeadReceivedLocked()) return ConnectionRestartView.InRequest;
        return _cleanSinceLastRequest ? ConnectionRestartView.AtBoundary : ConnectionRestartView.SendingRequestHead;
    }

    /// <summary>A complete request head arrived after the last request ended: a request has begun (or is about to).</summary>
    private bool RequestHeadReceivedLocked() => _heads.LastHeadEnd > _lastRequestEnd;

    /// <summary>Everything Kestrel flushed has been sent to the socket.</summary>
    public bool OutputSent { get { lock (_state) return _flushedOut == _sentOut; } }

    public bool IsClosed => _closed.IsCancellationRequested;

    /// <summary>The client sent data this image has not read (a request waiting for the restart to complete).</summary>
    public bool HasUnreadData
    {
        get
        {
            try { return !IsClosed && _socket.Available > 0; }
            catch (Exception ex) when (ex is System.Net.Sockets.SocketException or ObjectDisposedException) { return false; }
        }
    }

    public string Describe()
    {
        lock (_state)
            return $"{ConnectionId}: {_activeRequests} request(s), delivered {_delivered} consumed {_consumed}, flushed {_flushedOut} sent {_sentOut}, " +
                $"clean={_cleanSinceLastRequest}, head received={RequestHeadReceivedLocked()}, reading={_reading}, closed={IsClosed}";
    }

    /// <summary>Requests being served on this connection (at most one: HTTP/1.1 clients wait for each answer).</summary>
    public int ActiveRequests { get { lock (_state) return _activeRequests; } }

    /// <summary>
    /// A request begins on this connection; false when a restart has given the connection up (<see cref="Abandon"/>):
    /// the request must not run, since nobody would be there to answer it.
    /// </summary>
    public bool BeginRequest()
    {
        lock (_state)
        {
            if (_abandoned) return false;
            _activeRequests++;
        }
        _registry.Changed();
        return true;
    }

    /// <summary>Called once the response is complete; the connection is back at a boundary if all it was given was consumed.</summary>
    public void EndRequest()
    {
        lock (_state)
        {
            _activeRequests--;
            _cleanSinceLastRequest = _consumed == _delivered;
            _lastRequestEnd = _consumed;
        }
        _registry.Changed();
    }

    /// <summary>
    /// Stops reading new requests from this connection once it is at a boundary, or while it is still sending a request
    /// head: no request can begin on a frozen connection.
    /// </summary>
    public void Freeze()
    {
        lock (_state) _frozen = true;
    }

    /// <summary>
    /// A restart goes on without this connection, still sending its request head (<see cref="ConnectionRestartView.SendingRequestHead"/>):
    /// no request may begin on it any more; the exec closes it. False when it is no longer in that state.
    /// </summary>
    public bool Abandon()
    {
        lock (_state)
        {
            if (ViewLocked() != ConnectionRestartView.SendingRequestHead) return false;
            _abandoned = true;
            return true;
        }
    }

    public void Thaw()
    {
        TaskCompletionSource thawed;
        lock (_state)
        {
            _frozen = false;
            _abandoned = false;
            thawed = _thawed;
            _thawed = NewSignal();
        }
        thawed.TrySetResult();
    }

    /// <summary>Keeps the socket open across the exec (clears <c>FD_CLOEXEC</c>).</summary>
    public bool KeepAcrossExec() => Libc.SetCloseOnExec(FileDescriptor, false);

    /// <summary>Undoes <see cref="KeepAcrossExec"/> when the exec did not happen.</summary>
    public void CloseOnExec() => Libc.SetCloseOnExec(FileDescriptor, true);

    private async Task ReceiveLoopAsync()
    {
        var writer = _input.Writer;
        try
        {
            while (true)
            {
                // Wait for data without taking it, then decide: a frozen connection leaves it in the kernel.
                await _socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, _closed.Token).ConfigureAwait(false);
                if (!await StartReadingUnlessFrozenAsync().ConfigureAwait(false)) continue;
                var memory = writer.GetMemory(ReadSize);
                var read = 0;
                try
                {
                    read = await _socket.ReceiveAsync(memory, SocketFlags.None, _closed.Token).ConfigureAwait(false);
                }
                finally
                {
                    Delivered(memory.Span[..read]);
                }
                if (!_leftTheFront)
                {
                    // The front may answer; the first request it leaves alone goes to Kestrel as it came, and all after it.
                    Keep(memory.Span[..read]);
                    if (read > 0 && await ServeByTheFrontAsync(_front).ConfigureAwait(false))
                    {
                        _registry.Changed();
                        continue;
                    }
                    LeaveTheFront(writer);
                }
                else
                {
                    writer.Advance(read);
                }
                if (read == 0) break;
                var flush = await writer.FlushAsync().ConfigureAwait(false);
                if (flush.IsCompleted) break;
                _registry.Changed();
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            await writer.CompleteAsync().ConfigureAwait(false);
            _registry.Changed();
        }
    }

    private void Keep(ReadOnlySpan<byte> bytes)
    {
        if (_kept.Length < _keptLength + bytes.Length) Array.Resize(ref _kept, Math.Max(_keptLength + bytes.Length, Math.Max(ReadSize, _kept.Length * 2)));
        bytes.CopyTo(_kept.AsSpan(_keptLength));
        _keptLength += bytes.Length;
    }

    /// <summary>
    /// Lets the front answer the requests kept so far, one at a time, as a request is answered on this connection
    /// (accounted the same: a restart waits for it, and the connection is at a boundary after it). False once the
    /// connection is Kestrel's: the request at the start of what is kept is not one the front serves, or the server stops.
    /// </summary>
    private async Task<bool> ServeByTheFrontAsync(HttpFront front)
    {
        while (_keptLength > 0)
        {
            if (await front.ReadyAsync().ConfigureAwait(false) is not { } dispatch) return false;
            var verdict = front.Examine(_kept.AsSpan(0, _keptLength), dispatch, out var request);
            if (verdict == FrontVerdict.NotForTheFront) return false;
            if (verdict == FrontVerdict.NeedMore) return true;
            // A restart gave this connection up (it closes with the exec): nothing may begin on it.
            if (!BeginRequest()) return true;
            try
            {
                await front.ServeAsync(request!, this, dispatch).ConfigureAwait(false);
            }
            finally
            {
                _kept.AsSpan(request!.Length, _keptLength - request.Length).CopyTo(_kept);
                _keptLength -= request.Length;
                Consumed(request.Length);
                EndRequest();
            }
        }
        return true;
    }

    /// <summary>From now on this connection is Kestrel's: what the front kept goes first, as it came.</summary>
    private void LeaveTheFront(PipeWriter writer)
    {
        _leftTheFront = true;
        if (_keptLength > 0) writer.Write(_kept.AsSpan(0, _keptLength));
        _kept = [];
        _keptLength = 0;
        _front.NeedHost();
        _handToKestrel(this);
    }

    /// <summary>
    /// Writes straight to the socket, for the <see cref="HttpFront"/> only: Kestrel has not been handed this connection
    /// yet, so it has written nothing on it. A client that left gets nothing; its answer is kept to resume.
    /// </summary>
    public async Task SendByTheFrontAsync(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            while (!bytes.IsEmpty)
            {
                var sent = await _socket.SendAsync(bytes, SocketFlags.None, _closed.Token).ConfigureAwait(false);
                bytes = bytes[sent..];
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    /// <summary>
    /// Accounts for bytes read, in the same step as the read ends, so that a restart never sees them read but not
    /// counted (or a request head received but not noticed).
    /// </summary>
    private void Delivered(ReadOnlySpan<byte> bytes)
    {
        lock (_state)
        {
            _reading = false;
            _cleanSinceLastRequest = false; // whatever was read starts a request (or ends the connection)
            _delivered += bytes.Length;
            _heads.Scan(bytes);
        }
    }

    /// <summary>
    /// Waits while the connection is frozen with no request begun; otherwise marks a read under way, atomically with
    /// that check, so that a hand-over never takes a connection whose bytes are on their way into this image. False when
    /// there is nothing to read after all: the zero-byte receive can complete on a stale readiness notification (the
    /// bytes it announced were taken by the previous read), and a read started then would wait, marked under way, for
    /// whatever the client sends next, however long it stays idle.
    /// </summary>
    private async Task<bool> StartReadingUnlessFrozenAsync()
    {
        while (true)
        {
            Task thawed;
            lock (_state)
            {
                if (!(_frozen && _activeRequests == 0 && !RequestHeadReceivedLocked()))
                {
                    if (!Libc.HasDataOrEnd(FileDescriptor)) return false;
                    _reading = true;
                    return true;
                }
                thawed = _thawed.Task;
            }
            await thawed.ConfigureAwait(false);
        }
    }

    private async Task SendLoopAsync()
    {
        var reader = _output.Reader;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                foreach (var segment in buffer)
                {
                    var remaining = segment;
                    while (!remaining.IsEmpty)
                    {
                        var sent = await _socket.SendAsync(remaining, SocketFlags.None).ConfigureAwait(false);
                        remaining = remaining[sent..];
                    }
                }
                lock (_state) _sentOut += buffer.Length;
                reader.AdvanceTo(buffer.End);
                _registry.Changed();
                if (result.IsCompleted || result.IsCanceled) break;
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
            // Kestrel completed its output: the connection is over (or broken); let the peer know and stop reading.
            try { _socket.Shutdown(SocketShutdown.Both); } catch (SocketException) { } catch (ObjectDisposedException) { }
            _closed.Cancel();
        }
    }

    /// <summary>
    /// Kestrel ends connections this way also after a last response (e.g. one whose request body it will not read):
    /// the send loop still sends what was flushed, then shuts the socket down; reading stops at once.
    /// </summary>
    public override void Abort(ConnectionAbortedException abortReason)
    {
        _output.Reader.CancelPendingRead();
        _closed.Cancel();
    }

    /// <summary>Kestrel is done with the connection: what it flushed last is sent before the socket is closed.</summary>
    public override async ValueTask DisposeAsync()
    {
        _registry.Remove(this);
        // Kestrel writes nothing more: wake the send loop (the cancellation is kept for its next read if it is busy
        // sending), so it sends what is buffered and ends.
        _output.Reader.CancelPendingRead();
        try
        {
            await _sending.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // a peer that stopped reading: give up on it
        }
        _closed.Cancel();
        _socket.Dispose();
        await _receiving.ConfigureAwait(false);
        _closed.Dispose();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void Consumed(long bytes)
    {
        if (bytes == 0) return;
        lock (_state) _consumed += bytes;
    }

    private void Flushed(long bytes)
    {
        lock (_state) _flushedOut += bytes;
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;
        public PipeWriter Output { get; } = output;
    }

    /// <summary>Kestrel's view of the input: counts what it consumes (see <see cref="AtBoundary"/>).</summary>
    private sealed class CountingReader(PipeReader inner, HandoverConnection owner) : PipeReader
    {
        private System.Buffers.ReadOnlySequence<byte> _last;

        public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
        {
            var result = await inner.ReadAsync(cancellationToken).ConfigureAwait(false);
            _last = result.Buffer;
            return result;
        }

        public override bool TryRead(out ReadResult result)
        {
            if (!inner.TryRead(out result)) return false;
            _last = result.Buffer;
            return true;
        }

        public override void AdvanceTo(SequencePosition consumed)
        {
            owner.Consumed(_last.Slice(_last.Start, consumed).Length);
            inner.AdvanceTo(consumed);
        }

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
        {
            owner.Consumed(_last.Slice(_last.Start, consumed).Length);
            inner.AdvanceTo(consumed, examined);
        }

        public override void CancelPendingRead() => inner.CancelPendingRead();
        public override void Complete(Exception? exception = null) => inner.Complete(exception);
    }

    /// <summary>Kestrel's view of the output: counts what it flushes, so a hand-over can wait until all of it was sent.</summary>
    private sealed class CountingWriter(PipeWriter inner, HandoverConnection owner) : PipeWriter
    {
        private long _unflushed;

        public override void Advance(int bytes)
        {
            _unflushed += bytes;
            inner.Advance(bytes);
        }

        public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);
        public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);
        public override void CancelPendingFlush() => inner.CancelPendingFlush();
        public override void Complete(Exception? exception = null) => inner.Complete(exception);
        public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);
        public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;
        public override long UnflushedBytes => inner.UnflushedBytes;

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            owner.Flushed(_unflushed);
            _unflushed = 0;
            return inner.FlushAsync(cancellationToken);
        }
    }
}

/// <summary>Where a connection stands when a restart looks at it (see <see cref="HandoverConnection"/>).</summary>
internal enum ConnectionRestartView
{
    /// <summary>Between requests, with nothing unread: handed over to the next image.</summary>
    AtBoundary,

    /// <summary>The client is still sending a request head: no request has begun; not read further, closed by the exec.</summary>
    SendingRequestHead,

    /// <summary>A request has begun (or its answer is still being sent): the restart waits for it.</summary>
    InRequest,
}
