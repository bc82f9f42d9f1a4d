using Orchestrator.Storage;
using Orchestrator.Tooling;

namespace Orchestrator.Reboot;

/// <summary>
/// A store fault as the reboot tools answer it, in the seed's codes: the store opened read-only is the README's
/// INITIALIZATION_FAILED (the server serves, nothing can be recorded), a full disk SYSTEM_NOT_READY, a lock held past the
/// wait TIMEOUT_EXCEEDED, a database deleted, replaced or damaged STATE_CORRUPTION. (Orchestration/StoreFaultErrors.cs
/// says the same for the task tools: the two layers cannot share a type.)
/// </summary>
internal static class StoreFaultErrors
{
    public static ErrorCode Code(this StoreFaultException fault) => fault.Kind switch
    {
        StoreFaultKind.ReadOnly => ErrorCode.InitializationFailed,
        StoreFaultKind.Locked => ErrorCode.TimeoutExceeded,
        StoreFaultKind.Detached or StoreFaultKind.Corrupt => ErrorCode.StateCorruption,
        _ => ErrorCode.SystemNotReady,
    };
}
