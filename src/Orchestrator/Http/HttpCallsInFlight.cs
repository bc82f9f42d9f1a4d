using System.Collections.Concurrent;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Orchestrator.Http;

/// <summary>
/// The tool calls over HTTP whose answer has not been sent yet, counted apart from their connections: a call whose client
/// dropped its connection runs on, and its answer goes to the <see cref="SseEventStore"/> for the client to resume. A
/// graceful restart waits for these too, so that such an answer is kept (and carried) rather than cut off by the exec.
/// A call counts from its start (<see cref="CountedTool"/>) until its answer has gone through the transport (an
/// outgoing message filter: the answer is then in the store), or until it was cancelled (no answer is ever sent). A call
/// is known by its request id and the transport of the POST that carried it (the SDK's related transport, one per POST),
/// which its answer names too; the server objects the SDK hands a tool and a filter are per-request wrappers, not the same.
/// </summary>
internal sealed class HttpCallsInFlight
{
    private readonly ConcurrentDictionary<(ITransport? Post, RequestId Id), byte> _unanswered = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private int _frontCalls;

    public int Running => _unanswered.Count + Volatile.Read(ref _frontCalls);

    public void Begin(JsonRpcMessageWithId request) => _unanswered.TryAdd(KeyOf(request), 0);

    public void Answered(JsonRpcMessageWithId requestOrAnswer)
    {
        if (_unanswered.TryRemove(KeyOf(requestOrAnswer), out _)) Signal();
    }

    /// <summary>A call the <see cref="HttpFront"/> serves (no SDK transport to know it by): counted until its answer is sent.</summary>
    public void BeginFrontCall() => Interlocked.Increment(ref _frontCalls);

    public void EndFrontCall()
    {
        Interlocked.Decrement(ref _frontCalls);
        Signal();
    }

    private void Signal() => Interlocked.Exchange(ref _changed, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>The outgoing filter: once an answer (result or error) has been sent, its call no longer counts.</summary>
    public McpMessageFilter AnswerFilter => next => async (context, cancellationToken) =>
    {
        try
        {
            await next(context, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (context.JsonRpcMessage is JsonRpcMessageWithId answer and (JsonRpcResponse or JsonRpcError)) Answered(answer);
        }
    };

    private static (ITransport?, RequestId) KeyOf(JsonRpcMessageWithId message) => (message.Context?.RelatedTransport, message.Id);

    /// <summary>Completes once at most <paramref name="count"/> calls are unanswered (the restart call itself is one).</summary>
    public Task WaitUntilAtMostAsync(int count, CancellationToken cancellationToken) => WaitUntilAsync(() => Running <= count, cancellationToken);

    /// <summary>Completes once the front's calls are answered (Kestrel's own, at shutdown, are Kestrel's to wait for).</summary>
    public Task WaitForFrontCallsAsync(CancellationToken cancellationToken) => WaitUntilAsync(() => Volatile.Read(ref _frontCalls) == 0, cancellationToken);

    private async Task WaitUntilAsync(Func<bool> done, CancellationToken cancellationToken)
    {
        while (true)
        {
            var changed = Volatile.Read(ref _changed).Task;
            if (done()) return;
            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
