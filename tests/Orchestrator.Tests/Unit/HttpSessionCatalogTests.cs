using ModelContextProtocol.Protocol;
using Orchestrator.Http;

namespace Orchestrator.Tests.Unit;

/// <summary>The HTTP sessions a server keeps: they expire when idle, are capped (longest idle first) and cross a restart bounded.</summary>
public class HttpSessionCatalogTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static InitializeRequestParams Params(string name) => new()
    {
        ProtocolVersion = "2025-11-25",
        Capabilities = new ClientCapabilities(),
        ClientInfo = new Implementation { Name = name, Version = "1.0" },
    };

    private static HttpSessionCatalog Catalog(ManualClock clock, int max = 100, IEnumerable<Reboot.Snapshot.HttpSessionRecord>? inherited = null) =>
        new(clock, inherited ?? [], max, TimeSpan.FromMinutes(10));

    private static async Task Open(HttpSessionCatalog catalog, string id) => await catalog.OnSessionInitializedAsync(null!, id, Params(id), CancellationToken.None);

    [Test]
    public async Task A_session_idle_past_the_timeout_is_forgotten_and_cannot_be_migrated()
    {
        var clock = new ManualClock(T0);
        var catalog = Catalog(clock);
        await Open(catalog, "a");
        clock.Advance(TimeSpan.FromMinutes(9));
        await Assert.That(catalog.Touch("a")).IsTrue(); // activity restarts its idle clock
        clock.Advance(TimeSpan.FromMinutes(9));
        await Assert.That(catalog.Contains("a")).IsTrue();
        clock.Advance(TimeSpan.FromMinutes(2));
        await Assert.That(catalog.Touch("a")).IsFalse();
        await Assert.That(catalog.Contains("a")).IsFalse();
        await Assert.That(await catalog.AllowSessionMigrationAsync(null!, "a", CancellationToken.None)).IsNull();
        await Assert.That(catalog.Touch("never-opened")).IsFalse();
    }

    [Test]
    public async Task Past_the_maximum_the_longest_idle_sessions_are_forgotten_first()
    {
        var clock = new ManualClock(T0);
        var catalog = Catalog(clock, max: 3);
        foreach (var id in new[] { "a", "b", "c" })
        {
            await Open(catalog, id);
            clock.AdvanceSeconds(1);
        }
        catalog.Touch("a");
        clock.AdvanceSeconds(1);
        await Open(catalog, "d"); // b is now the longest idle
        await Assert.That(catalog.Count).IsEqualTo(3);
        await Assert.That(catalog.Contains("b")).IsFalse();
        await Assert.That(catalog.MostRecent(10).Select(s => s.Id)).IsEquivalentTo(["d", "a", "c"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
    }

    [Test]
    public async Task What_crosses_a_restart_is_bounded_and_keeps_the_order_of_activity()
    {
        var clock = new ManualClock(T0);
        var catalog = Catalog(clock, max: 3);
        foreach (var id in new[] { "a", "b", "c" })
        {
            await Open(catalog, id);
            clock.AdvanceSeconds(1);
        }
        catalog.Touch("a");
        var carried = catalog.Export();
        await Assert.That(carried.Select(r => r.Id)).IsEquivalentTo(["a", "c", "b"], TUnit.Assertions.Enums.CollectionOrdering.Matching);

        // The next image keeps at most its own maximum, most recent first, and counts the restart survived.
        var next = Catalog(new ManualClock(T0.AddHours(1)), max: 2, inherited: carried);
        await Assert.That(next.Count).IsEqualTo(2);
        await Assert.That(next.Contains("b")).IsFalse();
        await Assert.That(next.RestartsSurvived("a")).IsEqualTo(1);
        await Open(next, "e"); // c, carried as the older of the two, goes first
        await Assert.That(next.MostRecent(10).Select(s => s.Id)).IsEquivalentTo(["e", "a"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
    }

    [Test]
    public async Task Huge_initialize_parameters_are_kept_reduced_to_what_names_the_client()
    {
        var catalog = Catalog(new ManualClock(T0));
        var huge = Params(new string('n', 100_000));
        await catalog.OnSessionInitializedAsync(null!, "big", huge, CancellationToken.None);
        var kept = catalog.Export().Single();
        await Assert.That(kept.InitializeParamsJson.Length).IsLessThanOrEqualTo(HttpSessionCatalog.MaxParamsBytes);
        await Assert.That(catalog.ClientName("big")).IsEqualTo(new string('n', 256));
        var migrated = await catalog.AllowSessionMigrationAsync(null!, "big", CancellationToken.None);
        await Assert.That(migrated!.ProtocolVersion).IsEqualTo("2025-11-25");
    }
}
