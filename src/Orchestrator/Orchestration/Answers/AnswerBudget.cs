namespace Orchestrator.Orchestration.Answers;

/// <summary>
/// How long a task tool's answer may be, in characters of its text (the JSON that is also its structuredContent):
/// Claude Code refuses tool results over about 25,000 tokens, so answers are cut to fit, never refused.
/// Set with <c>--answer-budget</c> / <c>ORCHESTRATOR_ANSWER_BUDGET</c>.
/// </summary>
public static class AnswerBudget
{
    public const int Default = 20_000;

    /// <summary>Below this, an answer's fixed parts (ids, statuses, times, the notes on what was cut) may not fit.</summary>
    public const int Minimum = 8_000;

    public const int Maximum = 10_000_000;
}
