namespace Orchestrator.Benchmarks;

internal static class RestartBenchmark
{
    public static Task<int> RunAsync(string[] args) => Task.FromResult(2);
}
