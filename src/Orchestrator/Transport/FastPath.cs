using System.Collections.Concurrent;
using ModelContextProtocol.Protocol;
using Orchestrator.Orchestration.Mcp;
using Orchestrator.Tooling;

namespace Orchestrator.Transport;

/// <summary>
/// Answers the hot requests (<c>tools/call</c> of this server's tools, <c>tools/list</c>, <c>ping</c>, resources,
/// prompts and completions) from the <see cref="McpDispatch"/> both transports share, without the SDK's server object:
/// after an in-place restart they are served before that object exists. Over stdio it also serves the session's
/// resource subscriptions. Everything else (initialize, logging, unknown methods…) goes to the SDK.
/// </summary>
internal sealed class FastPath
{
    private readonly McpDispatch _dispatch;
    private readonly IToolCaller _caller;
    private readonly ResourceSubscriptions? _subscriptions;
    private readonly ConcurrentDictionary<RequestId, CancellationTokenSource> _running = new();

    /// <param name="subscriptions">The session's resource subscriptions (stdio); null: <c>resources/subscribe</c> is not served here.</param>
    public FastPath(McpDispatch dispatch, IToolCaller caller, ResourceSubscriptions? subscriptions = null)
    {
        _dispatch = dispatch;
        _caller = caller;
        _subscriptions = subscriptions;
    }

    /// <summary>Set once by the transport: where answers go (it drops answers to requests already answered elsewhere).</summary>
    public Action<RequestId, byte[]?> Answer { get; set; } = (_, _) => { };

    /// <summary>
    /// Set once by the transport: asked right before a call's handler runs; false when the call was already answered
    /// as not started (a non-graceful restart), and then the handler does not run.
    /// </summary>
    public Func<RequestId, bool> Starting { get; set; } = _ => true;

    /// <summary>Whether <see cref="TryDispatch"/> would serve this request (and so report its start through <see cref="Starting"/>).</summary>
    public bool Serves(IncomingFrame request) => request.Method is "resources/subscribe" or "resources/unsubscribe"
        ? _subscriptions is not null
        : _dispatch.Serves(request);

    public bool TryDispatch(IncomingFrame request)
    {
        if (!Serves(request)) return false;
        var id = request.RequestId!.Value;
        if (_dispatch.AnswerAtOnce(request) is { } answer)
        {
            Answer(id, answer);
            return true;
        }
        _ = Task.Run(() => AnswerAsync(request, id));
        return true;
    }

    /// <summary>A client's <c>notifications/cancelled</c> for a call the fast path runs.</summary>
    public void Cancel(RequestId id)
    {
        if (_running.TryGetValue(id, out var cancellation)) cancellation.Cancel();
    }

    private async Task AnswerAsync(IncomingFrame request, RequestId id)
    {
        if (!Starting(id))
        {
            // Answered already, as not started: it never runs. The empty answer only clears the transport's record of it.
            Answer(id, null);
            return;
        }
        using var cancellation = new CancellationTokenSource();
        _running[id] = cancellation;
        try
        {
            Answer(id, request.Method switch
            {
                "resources/subscribe" => McpDispatch.Frame(McpDispatch.RawId(request), await _subscriptions!.SubscribeAsync(request.Params).ConfigureAwait(false)),
                "resources/unsubscribe" => McpDispatch.Frame(McpDispatch.RawId(request), _subscriptions!.Unsubscribe(request.Params)),
                _ => await _dispatch.AnswerAsync(request, _caller, cancellation.Token).ConfigureAwait(false),
            });
        }
        catch (Exception ex)
        {
            Answer(id, McpDispatch.ErrorFrame(McpDispatch.RawId(request), JsonRpcErrorCodes.InternalError, $"{request.Method} failed: {ex.Message}"));
        }
        finally
        {
            _running.TryRemove(id, out _);
        }
    }
}
