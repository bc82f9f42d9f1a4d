using Orchestrator.Reboot;
using Orchestrator.Tooling;

namespace Orchestrator.Transport;

/// <summary>The restart's view of stdio: the pipes stay open across the exec; held and unread frames are replayed.</summary>
internal sealed class StdioRestartTransport(StdioTransport transport, ProgressNotifier notifier) : IRestartTransport
{
    public bool IsConnected => transport.IsConnected;
    public int InFlight => transport.Tracker.Count;
    public int Held => transport.Gate.HeldCount;

    public void EnterMaintenance() => transport.Gate.EnterMaintenance();

    public Task WaitUntilOnlyAsync(ToolCallContext restartCall, CancellationToken cancellationToken) =>
        transport.Tracker.WaitUntilOnlyAsync(restartCall.RequestId, cancellationToken);

    public void InterruptAllExcept(ToolCallContext restartCall)
    {
        foreach (var id in transport.Tracker.TakeOverAllExcept(restartCall.RequestId))
            transport.WriteError(id, JsonRpcErrorCodes.Interrupted, "Interrupted by a non-graceful restart (graceful:false); it may or may not have taken effect");
    }

    public Task FreezeAsync(ToolCallContext restartCall, bool graceful, CancellationToken cancellationToken)
    {
        transport.Reader.Freeze();
        transport.Gate.Close();
        // Status calls admitted during maintenance finish before the snapshot.
        return transport.Tracker.WaitUntilOnlyAsync(restartCall.RequestId, cancellationToken);
    }

    public string DescribeUnfrozen(ToolCallContext restartCall) => $"{transport.Tracker.Count - 1} call(s) still in flight";

    public TransportHandover Capture(ToolCallContext restartCall) =>
        new([.. transport.Gate.CopyHeldFrames(), .. transport.Reader.CopyUnconsumed()], []);

    public void Resume()
    {
        var held = transport.Gate.Open();
        transport.Redispatch(held);
        transport.Reader.Unfreeze();
    }

    public void Progress(ToolCallContext restartCall, double percent, string message)
    {
        if (restartCall.ProgressToken is { } token) notifier.Progress(token, percent, message);
    }
}
