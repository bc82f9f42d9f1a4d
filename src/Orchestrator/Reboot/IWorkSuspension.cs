namespace Orchestrator.Reboot;

/// <summary>
/// The work a restart must not lose: subtasks in progress, suspended durably before the snapshot and resumed by the new
/// image (or by this one, if the restart is abandoned). Implemented over the task store by the composition root, so
/// that the reboot system knows nothing of tasks beyond this.
/// </summary>
internal interface IWorkSuspension
{
    /// <summary>Subtasks in progress now (0 when the store is unavailable).</summary>
    int InProgress { get; }

    /// <summary>
    /// Suspends every subtask in progress in one committed transaction, waiting at most <paramref name="wait"/> for the
    /// store; returns their ids for the snapshot.
    /// </summary>
    /// <exception cref="Storage.StoreFaultException">Nothing was suspended.</exception>
    IReadOnlyList<string> SuspendInProgress(TimeSpan wait);

    /// <summary>Subtasks in progress that nobody may be working on any more (lease expired, server died, unclaimed), one line each; none without a store.</summary>
    IReadOnlyList<string> StaleClaims();

    /// <summary>Resumes the given subtasks that are still suspended.</summary>
    void Resume(IReadOnlyList<string> ids);
}
