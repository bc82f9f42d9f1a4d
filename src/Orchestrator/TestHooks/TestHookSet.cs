using Orchestrator.Reboot;

namespace Orchestrator.TestHooks;

/// <summary>
/// Fault injection for the test suite, never set in production: the hooks armed in this process, parsed once from
/// <c>ORCHESTRATOR_TEST_HOOKS</c> (comma-separated) and <c>ORCHESTRATOR_TEST_RESUME_FIFO</c>. The composition root
/// applies them as decorators around the restart's effects (<see cref="Wrap"/>) and as an extra tool; nothing on the
/// restart path tests for them.
/// <list type="bullet">
/// <item><c>corrupt-snapshot</c>, <c>truncate-snapshot</c>: damage the snapshot as it is written (<see cref="SnapshotDamage"/>);</item>
/// <item><c>fail-exec</c>: <c>execv</c> reports failure (<see cref="FailingExec"/>);</item>
/// <item><c>pause-at-phase:NAME</c> (repeatable): stop a restart at phase NAME, or <c>resuming</c> in the new image (<see cref="PhasePause"/>);</item>
/// <item><c>slow-tool</c>: serve <c>orchestrator_test_sleep</c>, a call that stays in flight (<see cref="TestSleepTool"/>);</item>
/// <item><c>hold-http-host</c>: build the HTTP host only when the test says so (<see cref="HttpHostHold"/>);</item>
/// <item><c>conformance-fixtures</c>: serve the conformance suite's <c>test_reconnection</c> over HTTP (<see cref="ReconnectionFixtureTool"/>);</item>
/// <item><c>build-identity</c>: report the version and write the snapshot format named in a trailer appended to the
/// binary's file, so that a copy of the binary acts as another release (<see cref="BuildIdentityTrailer"/>).</item>
/// </list>
/// </summary>
internal sealed class TestHookSet
{
    private const string PausePrefix = "pause-at-phase:";

    private static readonly Lazy<TestHookSet> s_current = new(() => Parse(
        Environment.GetEnvironmentVariable("ORCHESTRATOR_TEST_HOOKS"),
        Environment.GetEnvironmentVariable("ORCHESTRATOR_TEST_RESUME_FIFO")));

    private readonly HashSet<string> _armed;
    private readonly string? _resumeFifo;

    private TestHookSet(HashSet<string> armed, string? resumeFifo)
    {
        _armed = armed;
        _resumeFifo = resumeFifo;
        BuildIdentity = armed.Contains("build-identity") ? BuildIdentityTrailer.Read() : null;
    }

    /// <summary>The hooks of this process (read once, on first use).</summary>
    public static TestHookSet Current => s_current.Value;

    public static TestHookSet Parse(string? hooks, string? resumeFifo) =>
        new((hooks ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal),
            resumeFifo is { Length: > 0 } ? resumeFifo : null);

    /// <summary>Whether <c>orchestrator_test_sleep</c> is served.</summary>
    public bool SlowTool => _armed.Contains("slow-tool");

    /// <summary>Whether the conformance suite's fixture tool is served over HTTP.</summary>
    public bool ConformanceFixtures => _armed.Contains("conformance-fixtures");

    /// <summary>Whether this image holds back its HTTP host until the test releases it (<see cref="HttpHostHold"/>).</summary>
    public bool HoldHttpHost => _armed.Contains("hold-http-host");

    /// <summary>Holds this image's HTTP host back until the test releases it (<see cref="HoldHttpHost"/>).</summary>
    public void HoldHttpHostUntilReleased() => HttpHostHold.Wait(_resumeFifo);

    /// <summary>The release this binary acts as (<c>build-identity</c>), or null: it is itself.</summary>
    public BuildIdentityTrailer? BuildIdentity { get; }

    /// <summary>The restart's effects with the armed hooks wrapped around them; <paramref name="real"/> itself when none is armed.</summary>
    public RestartEffects Wrap(RestartEffects real)
    {
        var effects = real;
        var damage = SnapshotDamage.From(_armed);
        if (damage != SnapshotDamage.Kind.None) effects = effects with { Snapshot = new SnapshotDamage(effects.Snapshot, damage) };
        if (_armed.Contains("fail-exec")) effects = effects with { Exec = new FailingExec() };
        var pauses = _armed.Where(h => h.StartsWith(PausePrefix, StringComparison.Ordinal)).Select(h => h[PausePrefix.Length..]).ToList();
        if (pauses.Count > 0) effects = effects with { Observer = new PhasePause(effects.Observer, pauses, _resumeFifo) };
        return effects;
    }
}
