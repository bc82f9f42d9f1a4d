namespace Orchestrator.Cli;

/// <summary>A step that did not show what it should, with why; the demo stops there.</summary>
internal sealed class DemoStepFailed(string message) : Exception(message);

/// <summary>The demo stopped at a failed step (already narrated); <see cref="ExitStatus"/> is what the demo exits with.</summary>
internal sealed class DemoStopped(int exitStatus) : Exception($"the demo stopped (exit status {exitStatus})")
{
    public int ExitStatus { get; } = exitStatus;
}
