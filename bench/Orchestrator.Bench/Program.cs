using BenchmarkDotNet.Running;

namespace Orchestrator.Bench;

public static class Program
{
    // Pick benchmarks with --filter, a job with --job (dry, short, medium, ...); see bench/README.md.
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
