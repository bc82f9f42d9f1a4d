namespace Orchestrator.Cli;

/// <summary>
/// What one step of the demo showed: a short line for the terminal, and the same facts as named values for
/// <c>--json</c> (strings, integers, numbers and booleans only, so that writing them needs no reflection).
/// </summary>
internal sealed class DemoStepReport(string text)
{
    public string Text { get; } = text;

    public List<(string Name, object Value)> Facts { get; } = [];

    public DemoStepReport With(string name, object value)
    {
        Facts.Add((name, value));
        return this;
    }
}
