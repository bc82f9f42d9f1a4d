using Orchestrator.Reboot.Snapshot;
using Orchestrator.Tooling;

namespace Orchestrator.Tests.Unit;

/// <summary>A clock that moves only when the test says so.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;

    public void AdvanceSeconds(double seconds) => Advance(TimeSpan.FromSeconds(seconds));
}

/// <summary>The seed's per-client limits over a sliding 60-second window, as the tools declare them.</summary>
public class RateLimiterTests
{
    private const string Restart = "orchestrator_restart_server";
    private const string Status = "orchestrator_restart_status";
    private const string Reconnect = "orchestrator_reconnect_test";
    private const string Health = "orchestrator_health_check";
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static int AdmitUntilRefused(RateLimiter limiter, string client, string tool, int cap = 1_000)
    {
        for (var admitted = 0; admitted < cap; admitted++)
            if (!limiter.TryAdmit(client, tool, out _)) return admitted;
        return cap;
    }

    [Test]
    [Arguments(Restart, 1)]
    [Arguments(Status, 10)]
    [Arguments(Reconnect, 5)]
    public async Task The_seed_limits_per_minute(string tool, int limit)
    {
        var limiter = new RateLimiter(true, new ManualClock(T0), GeneratedTools.All);
        await Assert.That(AdmitUntilRefused(limiter, "stdio", tool)).IsEqualTo(limit);
        await Assert.That(limiter.TryAdmit("stdio", tool, out var retry)).IsFalse();
        await Assert.That(retry).IsEqualTo(60);
    }

    [Test]
    [Arguments(Health)]
    [Arguments("orchestrator_shutdown_prepare")]
    [Arguments("some_future_tool")]
    public async Task Health_checks_and_unlisted_tools_are_unlimited(string tool)
    {
        var limiter = new RateLimiter(true, new ManualClock(T0), GeneratedTools.All);
        await Assert.That(AdmitUntilRefused(limiter, "stdio", tool, cap: 500)).IsEqualTo(500);
        await Assert.That(limiter.RetryAfter("stdio", tool)).IsEqualTo(0);
        await Assert.That(limiter.Export().Count).IsEqualTo(0);
    }

    [Test]
    public async Task Retry_after_counts_down_from_the_oldest_admission()
    {
        var clock = new ManualClock(T0);
        var limiter = new RateLimiter(true, clock, GeneratedTools.All);
        await Assert.That(limiter.TryAdmit("stdio", Restart, out var retry)).IsTrue();
        await Assert.That(retry).IsEqualTo(0);

        clock.AdvanceSeconds(30);
        await Assert.That(limiter.TryAdmit("stdio", Restart, out retry)).IsFalse();
        await Assert.That(retry).IsEqualTo(30);
        await Assert.That(limiter.RetryAfter("stdio", Restart)).IsEqualTo(30);

        clock.AdvanceSeconds(29.2); // 0.8 s left: rounded up, never 0 while refused
        await Assert.That(limiter.TryAdmit("stdio", Restart, out retry)).IsFalse();
        await Assert.That(retry).IsEqualTo(1);

        clock.AdvanceSeconds(0.799); // 1 ms left
        await Assert.That(limiter.TryAdmit("stdio", Restart, out retry)).IsFalse();
        await Assert.That(retry).IsEqualTo(1);

        clock.AdvanceSeconds(0.001); // exactly 60 s after the admission
        await Assert.That(limiter.TryAdmit("stdio", Restart, out retry)).IsTrue();
        await Assert.That(retry).IsEqualTo(0);
    }

    [Test]
    public async Task Retry_after_uses_the_oldest_of_several_admissions()
    {
        var clock = new ManualClock(T0);
        var limiter = new RateLimiter(true, clock, GeneratedTools.All);
        for (var i = 0; i < 10; i++)
        {
            await Assert.That(limiter.TryAdmit("stdio", Status, out _)).IsTrue();
            clock.AdvanceSeconds(2); // admissions at 0, 2, ..., 18 s
        }
        clock.AdvanceSeconds(5); // now 25 s
        await Assert.That(limiter.TryAdmit("stdio", Status, out var retry)).IsFalse();
        await Assert.That(retry).IsEqualTo(35); // the 0 s admission leaves the window at 60 s
    }

    [Test]
    public async Task The_window_slides_one_admission_at_a_time()
    {
        var clock = new ManualClock(T0);
        var limiter = new RateLimiter(true, clock, GeneratedTools.All);
        foreach (var at in new[] { 0, 10, 20, 30, 40 })
        {
            clock.Advance(T0.AddSeconds(at) - clock.GetUtcNow());
            await Assert.That(limiter.TryAdmit("stdio", Reconnect, out _)).IsTrue();
        }
        clock.Advance(T0.AddSeconds(50) - clock.GetUtcNow());
        await Assert.That(limiter.TryAdmit("stdio", Reconnect, out var retry)).IsFalse();
        await Assert.That(retry).IsEqualTo(10);

        clock.Advance(T0.AddSeconds(61) - clock.GetUtcNow()); // the 0 s admission has left; the 10 s one has not
        await Assert.That(limiter.TryAdmit("stdio", Reconnect, out _)).IsTrue();
        await Assert.That(limiter.TryAdmit("stdio", Reconnect, out retry)).IsFalse();
        await Assert.That(retry).IsEqualTo(9);

        clock.Advance(T0.AddSeconds(200) - clock.GetUtcNow()); // all have left
        await Assert.That(AdmitUntilRefused(limiter, "stdio", Reconnect)).IsEqualTo(5);
    }

    [Test]
    public async Task Refused_calls_do_not_count_against_the_window()
    {
        var clock = new ManualClock(T0);
        var limiter = new RateLimiter(true, clock, GeneratedTools.All);
        await Assert.That(limiter.TryAdmit("stdio", Restart, out _)).IsTrue();
        for (var i = 0; i < 50; i++)
        {
            clock.AdvanceSeconds(1);
            limiter.TryAdmit("stdio", Restart, out _);
        }
        clock.AdvanceSeconds(10); // 60 s after the only admission
        await Assert.That(limiter.TryAdmit("stdio", Restart, out _)).IsTrue();
    }

    [Test]
    public async Task RetryAfter_is_a_query_and_admits_nothing()
    {
        var limiter = new RateLimiter(true, new ManualClock(T0), GeneratedTools.All);
        for (var i = 0; i < 20; i++) await Assert.That(limiter.RetryAfter("stdio", Restart)).IsEqualTo(0);
        await Assert.That(limiter.TryAdmit("stdio", Restart, out _)).IsTrue();
        await Assert.That(limiter.RetryAfter("stdio", Restart)).IsEqualTo(60);
    }

    [Test]
    public async Task Clients_and_tools_have_independent_windows()
    {
        var limiter = new RateLimiter(true, new ManualClock(T0), GeneratedTools.All);
        await Assert.That(limiter.TryAdmit("a", Restart, out _)).IsTrue();
        await Assert.That(limiter.TryAdmit("a", Restart, out _)).IsFalse();
        await Assert.That(limiter.TryAdmit("b", Restart, out _)).IsTrue();
        await Assert.That(AdmitUntilRefused(limiter, "a", Status)).IsEqualTo(10);
        await Assert.That(AdmitUntilRefused(limiter, "a", Reconnect)).IsEqualTo(5);
        await Assert.That(AdmitUntilRefused(limiter, "b", Status)).IsEqualTo(10);
    }

    [Test]
    public async Task A_disabled_limiter_admits_everything()
    {
        var limiter = new RateLimiter(false, new ManualClock(T0), GeneratedTools.All);
        await Assert.That(limiter.Enabled).IsFalse();
        foreach (var tool in new[] { Restart, Status, Reconnect, Health })
        {
            await Assert.That(AdmitUntilRefused(limiter, "stdio", tool, cap: 100)).IsEqualTo(100);
            await Assert.That(limiter.RetryAfter("stdio", tool)).IsEqualTo(0);
        }
        await Assert.That(new RateLimiter(true, TimeProvider.System, GeneratedTools.All).Enabled).IsTrue();
    }

    [Test]
    public async Task Retry_after_is_always_between_1_and_60_when_refused()
    {
        var random = new Random(3);
        var clock = new ManualClock(T0);
        var limiter = new RateLimiter(true, clock, GeneratedTools.All);
        var tools = new[] { Restart, Status, Reconnect };
        var refusals = 0;
        var outOfRange = new List<int>();
        for (var i = 0; i < 5_000; i++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(random.Next(0, 3_000)));
            if (limiter.TryAdmit("c" + random.Next(2), tools[random.Next(tools.Length)], out var retry))
            {
                if (retry != 0) outOfRange.Add(retry);
            }
            else
            {
                refusals++;
                if (retry is < 1 or > 60) outOfRange.Add(retry);
            }
        }
        await Assert.That(outOfRange).IsEmpty();
        await Assert.That(refusals).IsGreaterThan(100);
    }

    [Test]
    public async Task Export_and_import_carry_the_window_to_a_new_limiter()
    {
        var clock = new ManualClock(T0);
        var before = new RateLimiter(true, clock, GeneratedTools.All);
        await Assert.That(before.TryAdmit("stdio", Restart, out _)).IsTrue();
        clock.AdvanceSeconds(5);
        for (var i = 0; i < 3; i++) await Assert.That(before.TryAdmit("stdio", Status, out _)).IsTrue();
        await Assert.That(before.TryAdmit("other", Reconnect, out _)).IsTrue();
        clock.AdvanceSeconds(15); // now 20 s

        var exported = before.Export();
        await Assert.That(exported.Count).IsEqualTo(5);
        await Assert.That(exported).Contains(new RateLimitEntry("stdio", Restart, T0.ToUnixTimeMilliseconds()));

        var after = new RateLimiter(true, clock, GeneratedTools.All);
        after.Import(exported);
        await Assert.That(after.TryAdmit("stdio", Restart, out var retry)).IsFalse();
        await Assert.That(retry).IsEqualTo(40);
        await Assert.That(AdmitUntilRefused(after, "stdio", Status)).IsEqualTo(7);
        await Assert.That(AdmitUntilRefused(after, "other", Reconnect)).IsEqualTo(4);
        await Assert.That(after.Export().Where(e => e.Tool == Restart).ToList()).IsEquivalentTo(exported.Where(e => e.Tool == Restart).ToList());

        clock.AdvanceSeconds(40); // 60 s after the restart admission
        await Assert.That(after.TryAdmit("stdio", Restart, out _)).IsTrue();
    }

    [Test]
    public async Task Import_orders_entries_so_the_oldest_decides_retry_after()
    {
        var clock = new ManualClock(T0.AddSeconds(30));
        var limiter = new RateLimiter(true, clock, GeneratedTools.All);
        var ms = T0.ToUnixTimeMilliseconds();
        limiter.Import(Enumerable.Range(0, 5).Reverse().Select(i => new RateLimitEntry("stdio", Reconnect, ms + i * 1_000)));
        await Assert.That(limiter.TryAdmit("stdio", Reconnect, out var retry)).IsFalse();
        await Assert.That(retry).IsEqualTo(30); // oldest at 0 s, now 30 s
    }

    [Test]
    public async Task Imported_entries_that_already_left_the_window_do_not_count()
    {
        var clock = new ManualClock(T0.AddMinutes(5));
        var limiter = new RateLimiter(true, clock, GeneratedTools.All);
        limiter.Import([new RateLimitEntry("stdio", Restart, T0.ToUnixTimeMilliseconds())]);
        await Assert.That(limiter.TryAdmit("stdio", Restart, out _)).IsTrue();
    }

    [Test]
    public async Task The_window_survives_the_snapshot_codec()
    {
        var clock = new ManualClock(T0);
        var before = new RateLimiter(true, clock, GeneratedTools.All);
        before.TryAdmit("stdio", Restart, out _);
        clock.AdvanceSeconds(12);
        var snapshot = SnapshotCodecTests.Sample() with { RateLimits = before.Export() };
        var decoded = SnapshotReader.Decode(SnapshotCodecTests.Encode(snapshot), 0x1234_5678_9ABC_DEF0);
        var after = new RateLimiter(true, clock, GeneratedTools.All);
        after.Import(decoded.RateLimits);
        await Assert.That(after.TryAdmit("stdio", Restart, out var retry)).IsFalse();
        await Assert.That(retry).IsEqualTo(48);
    }
}
