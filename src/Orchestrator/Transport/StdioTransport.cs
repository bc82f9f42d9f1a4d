using System.Text.Json;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;

namespace Orchestrator.Transport;

/// <summary>
/// The MCP server's stdio transport, owned by this project so that a restart can stop at a message boundary:
/// frames come from <see cref="StdinFrameReader"/>, pass the <see cref="MaintenanceGate"/>, are tracked while in
/// flight by <see cref="RequestTracker"/>, and answers go out through <see cref="StdoutChannel"/>.
/// </summary>
internal sealed class StdioTransport : TransportBase
{
    private readonly StdoutChannel _output;
    private readonly ILogger _logger;

    public StdioTransport(ReadOnlySpan<byte> replay, StdoutChannel output, RequestTracker tracker, MaintenanceGate gate,
        ClientSession session, ILoggerFactory loggerFactory)
        : base("stdio", loggerFactory)
    {
        _output = output;
        Tracker = tracker;
        Gate = gate;
        Session = session;
        _logger = loggerFactory.CreateLogger("Orchestrator.Transport");
        Reader = new StdinFrameReader(replay)
        {
            OnFrame = OnFrame,
            OnEndOfInput = () => SetDisconnected(),
            OnOversizedFrame = () => WriteError(default, JsonRpcErrorCodes.InvalidRequest, $"Message exceeds {StdinFrameReader.MaxFrameBytes} bytes"),
        };
    }

    public StdinFrameReader Reader { get; }
    public RequestTracker Tracker { get; }
    public MaintenanceGate Gate { get; }
    public ClientSession Session { get; }
    public StdoutChannel Output => _output;

    public void Start()
    {
        SetConnected();
        Reader.Start();
    }

    /// <summary>Dispatches frames again that the gate held back (after an aborted restart).</summary>
    public void Redispatch(IEnumerable<byte[]> frames)
    {
        foreach (var frame in frames) OnFrame(frame);
    }

    public override async Task SendMessageAsync(JsonRpcMessage message, CancellationToken cancellationToken = default)
    {
        if (message is JsonRpcMessageWithId { Id: var id } and (JsonRpcResponse or JsonRpcError) && !Tracker.Complete(id))
            return; // already answered by a non-graceful restart
        Session.ObserveOutgoing(message);
        _output.WriteFrame(JsonSerializer.SerializeToUtf8Bytes(message, McpJson.Message));
        await Task.CompletedTask.ConfigureAwait(false);
    }

    public override ValueTask DisposeAsync()
    {
        SetDisconnected();
        return ValueTask.CompletedTask;
    }

    private void OnFrame(ReadOnlyMemory<byte> frame)
    {
        JsonRpcMessage? message;
        try
        {
            message = JsonSerializer.Deserialize(frame.Span, McpJson.Message);
        }
        catch (JsonException ex)
        {
            _logger.LogWarning("Unparseable frame ({Length} bytes): {Error}", frame.Length, ex.Message);
            WriteError(default, JsonRpcErrorCodes.ParseError, "Parse error: " + ex.Message);
            return;
        }
        if (message is null)
        {
            WriteError(default, JsonRpcErrorCodes.InvalidRequest, "Invalid Request");
            return;
        }
        var summary = FrameSummary.Of(message);
        if (Gate.TryHold(frame.Span, summary)) return;
        Session.ObserveIncoming(message);
        if (message is JsonRpcRequest request) Tracker.Begin(request.Id, request.Method);
        // The base class's channel is unbounded: the write completes synchronously, keeping frames in order.
        WriteMessageAsync(message).GetAwaiter().GetResult();
    }

    /// <summary>Writes a JSON-RPC error answer directly (for frames the MCP server never sees).</summary>
    public void WriteError(RequestId id, int code, string text)
    {
        var error = new JsonRpcError { Id = id, Error = new JsonRpcErrorDetail { Code = code, Message = text } };
        _output.WriteFrame(JsonSerializer.SerializeToUtf8Bytes((JsonRpcMessage)error, McpJson.Message));
    }
}
