namespace Orchestrator.Orchestration;

/// <summary>
/// Where a task stands. Named <c>TaskState</c> rather than <c>TaskStatus</c> so that it never clashes with
/// <see cref="System.Threading.Tasks.TaskStatus"/>, which implicit usings bring into every file. Derived from its
/// subtasks by <see cref="TaskLifecycle"/> (only <see cref="Cancelled"/> is set by a call).
/// </summary>
public enum TaskState
{
    Planned,
    InProgress,
    Completed,
    Cancelled,
    /// <summary>A subtask failed and waits to be retried, revised or removed; the task cannot complete until then.</summary>
    Failed,
    /// <summary>A subtask is blocked (and none failed); the task cannot complete until it is unblocked.</summary>
    Blocked,
}

/// <summary>
/// Where a subtask stands. <see cref="Suspended"/> is only entered by a restart and left by its resumption; every other
/// change goes through <see cref="SubtaskLifecycle"/>.
/// </summary>
public enum SubtaskStatus
{
    Pending,
    InProgress,
    Suspended,
    Completed,
    Cancelled,
    /// <summary>The specialist reported failure (with the reason); retried, revised or removed from here.</summary>
    Failed,
    /// <summary>Waits on something outside the plan (named in the reason) until unblocked.</summary>
    Blocked,
    /// <summary>To be executed again with notes: sent back by a review, reported by its specialist, or reopened.</summary>
    NeedsRevision,
    /// <summary>Completed by its specialist, waiting for a review call (the subtask has <c>review_required</c>).</summary>
    NeedsReview,
}

/// <summary>How urgent a task is; "next" ranks ready subtasks by their task's priority first.</summary>
public enum Priority
{
    Low,
    Medium,
    High,
    Critical,
}

/// <summary>How hard a task or subtask is expected to be.</summary>
public enum Complexity
{
    Low,
    Medium,
    High,
}

/// <summary>What kind of work a completed subtask produced (its artifact's type).</summary>
public enum ArtifactType
{
    Code,
    Design,
    Analysis,
    Test,
    Documentation,
    Research,
    Review,
    Other,
}
