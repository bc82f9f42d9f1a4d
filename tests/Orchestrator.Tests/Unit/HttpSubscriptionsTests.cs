using Orchestrator.Http;
using Orchestrator.Orchestration.Mcp;
using Orchestrator.Reboot.Snapshot;

namespace Orchestrator.Tests.Unit;

/// <summary>
/// The HTTP sessions' subscriptions as they cross a restart (owed list changes, subscribed URIs, only for sessions still
/// known), bytes that are not ours refused, and the standalone stream's event ids.
/// </summary>
public class HttpSubscriptionsTests
{
    private const string Params = """{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"c","version":"1"}}""";

    private static HttpSessionCatalog Catalog(params string[] ids) =>
        new(TimeProvider.System, ids.Select(id => new HttpSessionRecord(id, Params, 0, 0)), 100, TimeSpan.FromHours(1));

    [Test]
    public async Task Owed_list_changes_cross_a_restart_for_known_sessions_only_and_are_taken_once()
    {
        var catalog = Catalog("s1", "s2");
        var before = new HttpSubscriptions(new McpSurface(), catalog);
        before.OweListsChanged(["tools", "prompts"], ["s1", "gone"]);
        before.OweListsChanged(["tools"], ["s2"]);

        var carried = before.Export();
        var decoded = HttpSubscriptionHandover.TryDecode(carried)!;
        await Assert.That(decoded.Select(s => s.SessionId).Order()).IsEquivalentTo(["s1", "s2"]);

        var after = HttpSubscriptions.Import(carried, new McpSurface(), catalog);
        await Assert.That(after.TakeOwedLists("s1")).IsEquivalentTo(["tools", "prompts"]);
        await Assert.That(after.TakeOwedLists("s1")).IsEmpty();
        await Assert.That(after.TakeOwedLists("s2")).IsEquivalentTo(["tools"]);
        await Assert.That(after.TakeOwedLists("gone")).IsEmpty();
    }

    [Test]
    public async Task Subscribed_uris_survive_the_encoding_and_nothing_to_carry_is_no_bytes()
    {
        var encoded = HttpSubscriptionHandover.Encode([("s1", ["orchestrator://tasks/task_a", "orchestrator://tasks/open"], [])]);
        var after = HttpSubscriptions.Import(encoded, new McpSurface(), Catalog("s1"));
        var (uris, _) = after.Of("s1");
        await Assert.That(uris).IsEquivalentTo(["orchestrator://tasks/task_a", "orchestrator://tasks/open"]);
        await Assert.That(new HttpSubscriptions(new McpSurface(), Catalog("s1")).Export()).IsEmpty();
    }

    [Test]
    public async Task Bytes_of_another_layout_or_cut_short_are_refused_and_import_as_nothing()
    {
        var good = HttpSubscriptionHandover.Encode([("s1", ["orchestrator://tasks/open"], ["tools"])]);
        byte[][] bad = [[9, 9], good[..^3], [.. good, 0], [1, 0, 255, 255, 255, 127]];
        foreach (var bytes in bad)
        {
            await Assert.That(HttpSubscriptionHandover.TryDecode(bytes)).IsNull();
            var imported = HttpSubscriptions.Import(bytes, new McpSurface(), Catalog("s1"));
            await Assert.That(imported.TakeOwedLists("s1")).IsEmpty();
        }
    }

    [Test]
    public async Task A_stream_event_id_is_u_and_a_change_mark_and_nothing_else_parses_as_one()
    {
        await Assert.That(SessionEventId.Of(42)).IsEqualTo("u42");
        await Assert.That(SessionEventId.TryParse("u42", out var mark)).IsTrue();
        await Assert.That(mark).IsEqualTo(42);
        foreach (var other in new[] { "", "u", "42", "1-2", "u-1", "u+1", "ux", "u 1", "U1", "u" + new string('9', 25) })
            await Assert.That(SessionEventId.TryParse(other, out _)).IsFalse().Because(other);
        // The SDK's response streams keep their own ids, which never parse as a session stream's.
        await Assert.That(SseEventId.TryParse("u42", out _)).IsFalse();
    }
}
