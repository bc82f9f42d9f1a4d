namespace Orchestrator.Orchestration.Export;

/// <summary>What an import does with the ids in the file.</summary>
public enum IdMode
{
    /// <summary>
    /// The default: tasks, subtasks and artifacts keep their ids, so references in notes and other tools stay true. An
    /// id the store already has refuses the whole import. A session keeps its id too; one the store already has for the
    /// same working directory is reused, any other clash (same id elsewhere, same directory under another id) refuses.
    /// </summary>
    Keep,

    /// <summary>
    /// Every task, subtask and artifact gets a fresh id (references between them follow); a session joins the store's
    /// session of the same working directory, else gets a fresh id. Ids written inside texts are left as they were.
    /// </summary>
    New,
}

/// <summary>What an import wrote.</summary>
public sealed record ImportSummary(IdMode Mode, int Sessions, int SessionsJoined, int Tasks, int Subtasks, int Dependencies, int Artifacts, int History);

/// <summary>An import refused, changing nothing: every problem found (the first ones listed, the rest counted).</summary>
public sealed class ImportRefusedException(string summary, IReadOnlyList<string> problems) : Exception(Describe(summary, problems))
{
    public const int MaxListed = 20;

    public IReadOnlyList<string> Problems { get; } = problems;

    private static string Describe(string summary, IReadOnlyList<string> problems) =>
        problems.Count == 0 ? summary
            : summary + ":\n" + string.Join("\n", problems.Take(MaxListed).Select(p => "  - " + p))
              + (problems.Count > MaxListed ? $"\n  … and {problems.Count - MaxListed} more" : "");
}
