namespace Orchestrator.Orchestration;

/// <summary>
/// The largest legal inputs of the task tools, in one place: every text and list a call stores is bounded, so that the
/// store stays small enough to query fast and every answer can be cut to the answer budget.
/// </summary>
public static class Limits
{
    public const int MaxSubtasks = 50;
    public const int MaxTitle = 200;
    /// <summary>Descriptions, summaries, reasons, notes.</summary>
    public const int MaxText = 20_000;
    public const int MaxDetailedWork = 1_000_000;
    public const int MaxFilePaths = 200;
    public const int MaxFilePath = 4_096;
    public const int MaxNextAction = 2_000;
    public const int MaxEffort = 100;
    public const int MaxTags = 20;
    public const int MaxTag = 40;
}
