namespace Orchestrator.Hosting;

/// <summary>
/// Fault injection for the test suite, read from <c>ORCHESTRATOR_TEST_HOOKS</c> (comma-separated): never set in
/// production. <c>corrupt-snapshot</c> flips a payload byte and <c>truncate-snapshot</c> cuts the file after it is
/// encoded; <c>fail-exec</c> makes execv report failure; <c>slow-tool</c> registers <c>orchestrator_test_sleep</c>.
/// </summary>
internal sealed class TestHooks
{
    private readonly HashSet<string> _enabled;

    private TestHooks(IEnumerable<string> enabled) => _enabled = new HashSet<string>(enabled, StringComparer.Ordinal);

    public static TestHooks FromEnvironment() =>
        new((Environment.GetEnvironmentVariable("ORCHESTRATOR_TEST_HOOKS") ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    public bool FailExec => _enabled.Contains("fail-exec");
    public bool SlowTool => _enabled.Contains("slow-tool");

    /// <summary>The encoded snapshot as the hooks leave it: unchanged unless a damage hook is enabled.</summary>
    public byte[] DamageSnapshot(byte[] encoded)
    {
        if (_enabled.Contains("corrupt-snapshot")) encoded[^1] ^= 0x5A;
        if (_enabled.Contains("truncate-snapshot")) encoded = encoded[..(encoded.Length / 2)];
        return encoded;
    }
}
