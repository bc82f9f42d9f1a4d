using Orchestrator.Tooling;

namespace Orchestrator.TestHooks;

/// <summary>A deliberately slow call for the test suite (registered only with <c>ORCHESTRATOR_TEST_HOOKS=slow-tool</c>): it keeps a request in flight so that draining and timeouts can be tested for real.</summary>
[McpTool("orchestrator_test_sleep", Description = "Test hook: stays in flight for the given number of seconds",
    Result = typeof(TestSleepResult), Group = "test")]
public sealed partial record TestSleepArgs
{
    [Describe("Seconds to stay in flight", Minimum = 0, Maximum = 600)]
    public int Seconds { get; init; } = 1;
}

public sealed partial record TestSleepResult
{
    [Describe("Seconds actually spent")]
    public required double Slept { get; init; }
}
