using Orchestrator.Storage;
using Orchestrator.Tooling;

namespace Orchestrator.Orchestration;

/// <summary>
/// A store fault as a task tool answers it, in the seed's codes: the store opened read-only is the README's
/// INITIALIZATION_FAILED (the server serves, writes cannot happen), a full disk SYSTEM_NOT_READY, a lock held past the wait
/// TIMEOUT_EXCEEDED, a database deleted, replaced or damaged STATE_CORRUPTION. (Reboot/StoreFaultErrors.cs says the same
/// for the reboot tools: the two layers cannot share a type.)
/// </summary>
internal static class StoreFaultErrors
{
    public static ToolError ToToolError(this StoreFaultException fault, string phase) => new(fault.Kind switch
    {
        StoreFaultKind.ReadOnly => ErrorCode.InitializationFailed,
        StoreFaultKind.Locked => ErrorCode.TimeoutExceeded,
        StoreFaultKind.Detached or StoreFaultKind.Corrupt => ErrorCode.StateCorruption,
        _ => ErrorCode.SystemNotReady,
    }, "Task store unavailable: " + fault.Message, phase);
}
