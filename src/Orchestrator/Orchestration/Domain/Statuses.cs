namespace Orchestrator.Orchestration;

/// <summary>
/// Where a task stands. Named <c>TaskState</c> rather than <c>TaskStatus</c> so that it never clashes with
/// <see cref="System.Threading.Tasks.TaskStatus"/>, which implicit usings bring into every file.
/// </summary>
public enum TaskState
{
    Planned,
    InProgress,
    Completed,
    Cancelled,
}

/// <summary>Where a subtask stands; <see cref="Suspended"/> is only entered by a restart and left by its resumption.</summary>
public enum SubtaskStatus
{
    Pending,
    InProgress,
    Suspended,
    Completed,
    Cancelled,
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
