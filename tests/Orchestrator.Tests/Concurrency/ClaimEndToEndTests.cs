using System.Text.Json.Nodes;
using Orchestrator.Tests.EndToEnd;
using Orchestrator.Tests.Reliability;

namespace Orchestrator.Tests.Concurrency;

/// <summary>
/// Claims and leases over the published binary: two agents (two stdio servers, each its own client name) on one data
/// directory; a refusal naming the holder that changes nothing; a lease that neither an in-place restart nor a cold
/// start ends or extends; the claims a killed server left, reported; an expired lease taken over.
/// </summary>
public class ClaimEndToEndTests
{
    private static async Task<McpStdioClient> AgentAsync(string data, string name)
    {
        var client = McpStdioClient.Start(data);
        await client.InitializeAsync(clientName: name);
        return client;
    }

    [Test]
    public async Task Leases_hold_across_restarts_a_killed_servers_claims_are_reported_and_an_expired_one_is_taken_over()
    {
        using var data = new TempDirectory();
        using var project = new TempDirectory();
        var alice = await AgentAsync(data.Path, "alice");
        await using var bob = await AgentAsync(data.Path, "bob");
        try
        {
            async Task<JsonObject> Alice(string tool, JsonObject args) => (await alice.CallToolAsync(tool, args)).Structured();
            var (_, ids) = await AgentTools.PlanAsync(Alice, project.Path, 3);

            var claim = (await Alice("orchestrator_execute_subtask", new JsonObject { ["subtask_id"] = ids[0], ["lease_seconds"] = 3600 }))["claim"]!;
            await Assert.That(claim["agent"]!.GetValue<string>()).IsEqualTo("alice");
            var leaseEnd = claim["lease_expires_at"]!.GetValue<string>();

            async Task BobIsRefused()
            {
                var before = StoreDump.Of(data.Path);
                var refused = (await bob.CallToolAsync("orchestrator_execute_subtask", new JsonObject { ["subtask_id"] = ids[0] })).Error();
                await Assert.That(refused["error_code"]!.GetValue<string>()).IsEqualTo("INVALID_STATE");
                await Assert.That(refused["error"]!.GetValue<string>()).Contains("\"alice\"").And.Contains(leaseEnd[..19]);
                await Assert.That(StoreDump.Of(data.Path)).IsEqualTo(before);
            }
            await BobIsRefused();

            // An in-place restart of alice's server neither ends nor extends the lease.
            var restart = await Alice("orchestrator_restart_server", new JsonObject());
            await Assert.That(restart["phase"]!.GetValue<string>()).IsEqualTo("complete");
            var again = await Alice("orchestrator_execute_subtask", new JsonObject { ["subtask_id"] = ids[0] });
            await Assert.That(again["already_in_progress"]!.GetValue<bool>()).IsTrue();
            await Assert.That(again["claim"]!["lease_expires_at"]!.GetValue<string>()).IsEqualTo(leaseEnd);
            await BobIsRefused();

            // Alice's server dies (kill -9): no suspension, its claims stay in progress and are reported as such.
            await Alice("orchestrator_execute_subtask", new JsonObject { ["subtask_id"] = ids[1], ["lease_seconds"] = 1 });
            await alice.KillAsync();
            await alice.DisposeAsync();
            alice = await AgentAsync(data.Path, "alice");
            var health = (await alice.CallToolAsync("orchestrator_health_check", new JsonObject())).Structured();
            await Assert.That(health["checks"]!["work"]!["subtasks_in_progress"]!.GetValue<int>()).IsEqualTo(2);
            await Assert.That(health["checks"]!["work"]!["stale_claims"]!.GetValue<int>()).IsEqualTo(2);
            var stale = (await alice.CallToolAsync("orchestrator_get_status", new JsonObject())).Structured()["stale_claims"]!.AsArray();
            var reasons = stale.ToDictionary(s => s!["subtask_id"]!.GetValue<string>(), s => s!["reason"]!.GetValue<string>());
            await Assert.That(reasons[ids[0]]).IsEqualTo("server_died");
            // The one-second lease has ended by now or will shortly: its reason is one of the two, never "unclaimed".
            await Assert.That(reasons[ids[1]]).IsIn("server_died", "lease_expired");
            // A cold start does not end a lease either.
            await BobIsRefused();

            // The one-second lease ends (wall clock): bob takes it over and is told from whom.
            JsonObject taken;
            while (true)
            {
                var answer = await bob.CallToolAsync("orchestrator_execute_subtask", new JsonObject { ["subtask_id"] = ids[1] });
                if (answer["isError"]?.GetValue<bool>() != true) { taken = answer.Structured(); break; }
                await Assert.That(answer.Error()["error"]!.GetValue<string>()).Contains("\"alice\"");
                await Task.Delay(100); // polling the wall clock that the lease is measured by, not synchronising with the server
            }
            await Assert.That(taken["claim"]!["agent"]!.GetValue<string>()).IsEqualTo("bob");
            await Assert.That(taken["claim"]!["took_over_from"]!.GetValue<string>()).IsEqualTo("alice");

            // The holder completes; alice completing bob's subtask is refused.
            var foreign = (await alice.CallToolAsync("orchestrator_complete_subtask", new JsonObject { ["subtask_id"] = ids[1], ["summary"] = "s", ["detailed_work"] = "w" })).Error();
            await Assert.That(foreign["error_code"]!.GetValue<string>()).IsEqualTo("INVALID_STATE");
            (await bob.CallToolAsync("orchestrator_complete_subtask", new JsonObject { ["subtask_id"] = ids[1], ["summary"] = "s", ["detailed_work"] = "w" })).Structured();
            await Assert.That(AgentTools.Overlaps(AgentTools.Claims(data.Path))).IsEmpty();
        }
        finally
        {
            await alice.DisposeAsync();
        }
    }
}
