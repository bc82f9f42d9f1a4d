using Orchestrator.Hosting;
using Orchestrator.Tooling;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>
/// How many tools the published binary lists by default: every generated tool but the test group's. Taken from the
/// same source the binary was built from, so that adding a tool does not break tests that only check the whole list.
/// </summary>
internal static class ServedTools
{
    public static int Count => GeneratedTools.All.Count(t => t.Group != ToolSelection.TestGroup);
}
