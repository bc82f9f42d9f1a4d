using System.Text.Json;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using Orchestrator.Orchestration.Mcp;

namespace Orchestrator.Transport;

/// <summary>
/// The MCP server's stdio transport, owned by this project so that a restart can stop at a message boundary:
/// frames come from <see cref="StdinFrameReader"/>, pass the <see cref="MaintenanceGate"/>, are tracked while in
/// flight by <see cref="RequestTracker"/>, are served by the <see cref="FastPath"/> or the SDK, and every answer
/// goes out through <see cref="StdoutChannel"/> at most once.
/// </summary>
internal sealed class StdioTransport : TransportBase
{
    private readonly ILogger _logger;
    private readonly TaskCompletionSource _sdkNeeded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _lastPauseLogged = long.MinValue / 2;

    public StdioTransport(ReadOnlySpan<byte> replay, StdoutChannel output, RequestTracker tracker, MaintenanceGate gate,
        ClientSession session, FastPath fastPath, ILoggerFactory loggerFactory, StdioLimits? limits = null)
        : base("stdio", loggerFactory)
    {
        limits ??= new StdioLimits();
        Output = output;
        Tracker = tracker;
        Gate = gate;
        Session = session;
        FastPath = fastPath;
        fastPath.Answer = Answer;
        fastPath.Starting = tracker.TryStart;
        _logger = loggerFactory.CreateLogger("Orchestrator.Transport");
        var maxPending = limits.MaxPendingAnswers;
        Reader = new StdinFrameReader(replay, maxFrameBytes: limits.MaxLineBytes)
        {
            OnFrame = OnFrame,
            OnEndOfInput = () =>
            {
                SetDisconnected();
                _sdkNeeded.TrySetResult();
            },
            OnOversizedFrame = OnOversizedLine,
            // Requests read and not yet answered, held ones included: at the limit, stdin is not read until answers are written.
            HasRoom = () => Tracker.Count + Gate.HeldCount < maxPending,
            OnPausedForRoom = () => OnPausedForRoom(maxPending),
        };
        tracker.Released = Reader.RoomAvailable;
    }

    public StdinFrameReader Reader { get; }
    public RequestTracker Tracker { get; }
    public MaintenanceGate Gate { get; }
    public ClientSession Session { get; }
    public FastPath FastPath { get; }
    public StdoutChannel Output { get; }

    /// <summary>Completes when a message arrives that only the SDK's server object handles (or the input ends).</summary>
    public Task SdkNeeded => _sdkNeeded.Task;

    public void Start()
    {
        SetConnected();
        Reader.Start();
    }

    /// <summary>Whether the server stopped reading stdin for good (<see cref="StopReading"/>).</summary>
    public bool InputStopped { get; private set; }

    /// <summary>
    /// The server is ending (a termination signal): nothing more is read from stdin, not even by a restart abandoned
    /// meanwhile (<see cref="StdioRestartTransport.Resume"/>); requests already dispatched are still answered.
    /// </summary>
    public void StopReading()
    {
        InputStopped = true;
        Reader.Freeze();
    }

    /// <summary>Dispatches frames again that the gate held back (after an aborted restart).</summary>
    public void Redispatch(IEnumerable<byte[]> frames)
    {
        foreach (var frame in frames) OnFrame(frame);
    }

    /// <summary>Answers from the SDK's server object.</summary>
    public override Task SendMessageAsync(JsonRpcMessage message, CancellationToken cancellationToken = default)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(message, McpJson.Message);
        if (message is JsonRpcMessageWithId { Id: var id } and (JsonRpcResponse or JsonRpcError))
        {
            // Written before the request leaves the tracker (see RequestTracker.Finish); dropped when a non-graceful restart answered it.
            Tracker.Finish(id, () =>
            {
                Session.ObserveOutgoing(message);
                Output.WriteFrame(bytes);
            });
            return Task.CompletedTask;
        }
        Session.ObserveOutgoing(message);
        Output.WriteFrame(bytes);
        return Task.CompletedTask;
    }

    public override ValueTask DisposeAsync()
    {
        SetDisconnected();
        return ValueTask.CompletedTask;
    }

    /// <summary>Writes a JSON-RPC error answer directly (for frames the MCP server never sees, or requests taken over).</summary>
    public void WriteError(RequestId id, int code, string text, JsonElement? data = null)
    {
        var error = new JsonRpcError { Id = id, Error = new JsonRpcErrorDetail { Code = code, Message = text, Data = data } };
        Output.WriteFrame(JsonSerializer.SerializeToUtf8Bytes((JsonRpcMessage)error, McpJson.Message));
    }

    /// <summary>Answers from the fast path; null completes the request without an answer (cancelled).</summary>
    private void Answer(RequestId id, byte[]? frame)
    {
        Tracker.Finish(id, () => { if (frame is not null) Output.WriteFrame(frame); });
    }

    private void OnFrame(ReadOnlyMemory<byte> bytes)
    {
        var frame = IncomingFrame.Parse(bytes.Span, out var problem);
        if (frame is null)
        {
            _logger.LogWarning("Rejected frame ({Length} bytes): {Problem}", bytes.Length, problem.Message);
            WriteError(problem.Id, problem.Code, problem.Message);
            return;
        }
        if (Gate.TryHold(bytes.Span, frame.Summary)) return;
        Session.ObserveIncoming(frame);
        if (frame.Method == "notifications/cancelled" && CancelledRequest(frame) is { } cancelled) FastPath.Cancel(cancelled);
        if (frame.IsRequest)
        {
            var fast = FastPath.Serves(frame);
            Tracker.Begin(frame.RequestId!.Value, frame.Method!, reportsStart: fast);
            if (fast && FastPath.TryDispatch(frame)) return;
        }
        JsonRpcMessage? message;
        try
        {
            message = JsonSerializer.Deserialize(bytes.Span, McpJson.Message);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a string that is valid JSON but not valid Unicode (an unpaired surrogate escape).
            message = null;
            _logger.LogWarning("Frame not accepted by the MCP server: {Error}", ex.Message);
        }
        if (message is null)
        {
            if (frame.IsRequest)
                Tracker.Finish(frame.RequestId!.Value, () => WriteError(frame.RequestId.Value, JsonRpcErrorCodes.InvalidRequest, "Invalid Request"));
            return;
        }
        // The base class's channel is unbounded: the write completes synchronously, keeping frames in order.
        WriteMessageAsync(message).GetAwaiter().GetResult();
        _sdkNeeded.TrySetResult();
    }

    /// <summary>Says (at most every 10 s, it can happen at every answer) that the client is not reading its answers fast enough.</summary>
    private void OnPausedForRoom(int maxPending)
    {
        var now = Environment.TickCount64;
        if (now - _lastPauseLogged < 10_000) return;
        _lastPauseLogged = now;
        _logger.LogInformation("Not reading stdin: {Pending} answers owed, the limit (--max-pending-answers {Limit}); the client is not reading its answers",
            Tracker.Count + Gate.HeldCount, maxPending);
    }

    /// <summary>A line longer than the limit: answered (with its id when its first bytes name one), logged, skipped.</summary>
    private void OnOversizedLine(ReadOnlyMemory<byte> start)
    {
        var id = OversizedLine.RecoverId(start.Span);
        _logger.LogWarning("Skipped a line of more than {Limit} bytes (--max-line-bytes); request id {Id}", Reader.MaxFrameBytes,
            id is { } known ? known.ToString() : "not found in its first bytes");
        WriteError(id ?? default, JsonRpcErrorCodes.InvalidRequest,
            $"Message exceeds the {Reader.MaxFrameBytes}-byte line limit (--max-line-bytes); it was not read");
    }

    private static RequestId? CancelledRequest(IncomingFrame frame)
    {
        if (frame.Params is not { ValueKind: JsonValueKind.Object } parameters || !parameters.TryGetProperty("requestId"u8, out var id)) return null;
        if (JsonStrings.TryGet(id, out var text)) return new RequestId(text);
        return id.ValueKind == JsonValueKind.Number && id.TryGetInt64(out var number) ? new RequestId(number) : null;
    }
}
