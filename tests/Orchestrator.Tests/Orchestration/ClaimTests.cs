using Microsoft.Data.Sqlite;
using Orchestrator.Orchestration;
using Orchestrator.Orchestration.Contract;
using Orchestrator.Tooling;

namespace Orchestrator.Tests.Orchestration;

/// <summary>Claims and leases: who may execute, complete, report, renew and release a subtask in progress, and when.</summary>
public class ClaimTests
{
    private static readonly TaskCaller Alice = new("alice");
    private static readonly TaskCaller Bob = new("bob");

    private static ExecuteSubtaskArgs Execute(string id, int leaseSeconds = 900) => new() { SubtaskId = id, LeaseSeconds = leaseSeconds };

    private static CompleteSubtaskArgs Complete(string id) => new() { SubtaskId = id, Summary = "done", DetailedWork = "the work" };

    [Test]
    public async Task A_claim_names_the_agent_and_its_lease_and_another_agent_is_refused_naming_the_holder()
    {
        using var store = new OrchestrationStore();
        var plan = store.Diamond(store.Session());
        var design = plan.Id("design");
        var first = store.Tasks.ExecuteSubtask(Execute(design, leaseSeconds: 600), Alice).Ok();
        await Assert.That(first.Claim.Agent).IsEqualTo("alice");
        await Assert.That(first.Claim.LeaseExpiresAt - first.Claim.ClaimedAt).IsEqualTo(TimeSpan.FromSeconds(600));
        await Assert.That(first.Claim.TookOverFrom).IsNull();

        var before = store.Dump();
        var refused = store.Tasks.ExecuteSubtask(Execute(design), Bob).Err();
        await Assert.That(refused.Code).IsEqualTo(ErrorCode.InvalidState);
        await Assert.That(refused.Message).Contains("\"alice\"").And.Contains(first.Claim.LeaseExpiresAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
        await Assert.That(store.Tasks.CompleteSubtask(Complete(design), Bob).Err().Code).IsEqualTo(ErrorCode.InvalidState);
        await Assert.That(store.Tasks.ReportSubtask(new ReportSubtaskArgs { SubtaskId = design, Outcome = ReportedOutcome.Failed, Reason = "no" }, Bob).Err().Code)
            .IsEqualTo(ErrorCode.InvalidState);
        await Assert.That(store.Tasks.ReleaseSubtask(new ReleaseSubtaskArgs { SubtaskId = design }, Bob).Err().Code).IsEqualTo(ErrorCode.InvalidState);
        await Assert.That(store.Tasks.RenewLease(new RenewLeaseArgs { SubtaskId = design }, Bob).Err().Code).IsEqualTo(ErrorCode.InvalidState);
        await Assert.That(store.Dump()).IsEqualTo(before);

        var again = store.Tasks.ExecuteSubtask(Execute(design), Alice).Ok();
        await Assert.That(again.AlreadyInProgress).IsTrue();
        await Assert.That(again.Claim.LeaseExpiresAt).IsEqualTo(first.Claim.LeaseExpiresAt);
        store.Tasks.CompleteSubtask(Complete(design), Alice).Ok();
    }

    [Test]
    public async Task An_agent_named_in_the_call_overrides_the_clients_name()
    {
        using var store = new OrchestrationStore();
        var design = store.Diamond(store.Session()).Id("design");
        var claim = store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = design, Agent = " worker-7 " }, Alice).Ok().Claim;
        await Assert.That(claim.Agent).IsEqualTo("worker-7");
        await Assert.That(store.Tasks.CompleteSubtask(Complete(design), Alice).Err().Message).Contains("\"worker-7\"");
        await Assert.That(store.Tasks.CompleteSubtask(Complete(design) with { Agent = "worker-7" }, Bob).Ok().Subtask.Status).IsEqualTo(SubtaskStatus.Completed);
        var blank = store.Tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = design, Agent = "  " }, Alice).Err();
        await Assert.That(blank.Code).IsEqualTo(ErrorCode.InvalidParameters);
    }

    [Test]
    public async Task An_expired_lease_is_taken_over_and_the_claim_says_from_whom()
    {
        using var store = new OrchestrationStore();
        var design = store.Diamond(store.Session()).Id("design");
        var first = store.Tasks.ExecuteSubtask(Execute(design, leaseSeconds: 60), Alice).Ok().Claim;
        store.Clock.Advance(TimeSpan.FromSeconds(61));
        var taken = store.Tasks.ExecuteSubtask(Execute(design), Bob).Ok();
        await Assert.That(taken.AlreadyInProgress).IsFalse();
        await Assert.That(taken.Claim.Agent).IsEqualTo("bob");
        await Assert.That(taken.Claim.TookOverFrom).IsEqualTo("alice");
        await Assert.That(taken.Claim.TookOverLeaseExpiredAt).IsEqualTo(first.LeaseExpiresAt);
        // The former holder is now the other agent: refused while bob's lease runs.
        await Assert.That(store.Tasks.CompleteSubtask(Complete(design), Alice).Err().Message).Contains("\"bob\"");
        var claims = Claims(store, design);
        await Assert.That(claims).IsEquivalentTo(new[] { ("alice", "expired"), ("bob", (string?)null) });
    }

    [Test]
    public async Task The_holder_renews_its_lease_and_may_still_renew_an_expired_one_nobody_took_over()
    {
        using var store = new OrchestrationStore();
        var design = store.Diamond(store.Session()).Id("design");
        store.Tasks.ExecuteSubtask(Execute(design, leaseSeconds: 60), Alice).Ok();
        store.Clock.Advance(TimeSpan.FromSeconds(30));
        var renewed = store.Tasks.RenewLease(new RenewLeaseArgs { SubtaskId = design, LeaseSeconds = 120 }, Alice).Ok();
        await Assert.That(renewed.WasExpired).IsFalse();
        store.Clock.Advance(TimeSpan.FromSeconds(100));
        // 130 s after the claim: past the first lease, within the renewed one.
        await Assert.That(store.Tasks.ExecuteSubtask(Execute(design), Bob).Err().Code).IsEqualTo(ErrorCode.InvalidState);
        store.Clock.Advance(TimeSpan.FromSeconds(30));
        var late = store.Tasks.RenewLease(new RenewLeaseArgs { SubtaskId = design }, Alice).Ok();
        await Assert.That(late.WasExpired).IsTrue();
        await Assert.That(late.Claim.Agent).IsEqualTo("alice");
    }

    [Test]
    public async Task Releasing_puts_the_subtask_back_to_pending_for_any_agent_with_the_reason_as_notes()
    {
        using var store = new OrchestrationStore();
        var design = store.Diamond(store.Session()).Id("design");
        store.Tasks.ExecuteSubtask(Execute(design), Alice).Ok();
        var released = store.Tasks.ReleaseSubtask(new ReleaseSubtaskArgs { SubtaskId = design, Reason = "out of time" }, Alice).Ok();
        await Assert.That(released.Subtask.Status).IsEqualTo(SubtaskStatus.Pending);
        await Assert.That(released.ReleasedBy).IsEqualTo("alice");
        var bob = store.Tasks.ExecuteSubtask(Execute(design), Bob).Ok();
        await Assert.That(bob.Claim.TookOverFrom).IsNull();
        await Assert.That(bob.RevisionNotes).IsEqualTo("out of time");
        await Assert.That(Claims(store, design)).IsEquivalentTo(new[] { ("alice", "released"), ("bob", (string?)null) });
        // Nothing to release any more once it is completed.
        store.Tasks.CompleteSubtask(Complete(design), Bob).Ok();
        await Assert.That(Claims(store, design)[1]).IsEqualTo(("bob", "completed"));
        await Assert.That(store.Tasks.ReleaseSubtask(new ReleaseSubtaskArgs { SubtaskId = design }, Bob).Err().Code).IsEqualTo(ErrorCode.InvalidState);
    }

    [Test]
    public async Task Stale_claims_are_reported_lease_expired_or_server_died()
    {
        using var store = new OrchestrationStore();
        var plan = store.Diamond(store.Session());
        store.Finish(plan.Id("design"));
        store.Tasks.ExecuteSubtask(Execute(plan.Id("code"), leaseSeconds: 60), Alice).Ok();
        store.Tasks.ExecuteSubtask(Execute(plan.Id("tests"), leaseSeconds: 600), Bob).Ok();
        await Assert.That(store.Tasks.StaleClaims()).IsEmpty();

        // A claim granted by a process that no longer runs (as a server killed with -9 leaves it).
        store.Database.Write((c, t) =>
        {
            using var command = c.CreateCommand();
            command.Transaction = t;
            command.CommandText = "UPDATE subtask_claims SET server_run = 'deadbeef:999999999:1' WHERE agent = 'bob'";
            return command.ExecuteNonQuery();
        });
        store.Clock.Advance(TimeSpan.FromSeconds(61));
        var stale = store.Tasks.GetStatus(new GetStatusArgs()).Ok().StaleClaims;
        await Assert.That(stale.Select(s => (s.SubtaskId, s.Agent, s.Reason)).OrderBy(s => s.Agent).ToList())
            .IsEquivalentTo(new[] { (plan.Id("code"), (string?)"alice", "lease_expired"), (plan.Id("tests"), (string?)"bob", "server_died") });
    }

    [Test]
    public async Task A_restart_suspends_only_the_work_claimed_through_its_own_server()
    {
        using var store = new OrchestrationStore();
        var plan = store.Diamond(store.Session());
        store.Finish(plan.Id("design"));
        store.Tasks.ExecuteSubtask(Execute(plan.Id("code")), Alice).Ok();
        store.Tasks.ExecuteSubtask(Execute(plan.Id("tests")), Bob).Ok();
        // Bob works through another server on the same store (another, running, process).
        store.Database.Write((c, t) =>
        {
            using var command = c.CreateCommand();
            command.Transaction = t;
            command.CommandText = $"UPDATE subtask_claims SET server_run = 'other:{Environment.ProcessId + 1}:1' WHERE agent = 'bob'";
            return command.ExecuteNonQuery();
        });
        await Assert.That(store.Tasks.SuspendInProgress()).IsEquivalentTo(new[] { plan.Id("code") });
        var statuses = store.Tasks.GetStatus(new GetStatusArgs { TaskId = plan.Task.Id }).Ok().Subtasks!.ToDictionary(s => s.Key, s => s.Status);
        await Assert.That(statuses["code"]).IsEqualTo(SubtaskStatus.Suspended);
        await Assert.That(statuses["tests"]).IsEqualTo(SubtaskStatus.InProgress);
    }

    /// <summary>The claims of a subtask in order: agent and how each ended (null: open).</summary>
    private static List<(string Agent, string? Ended)> Claims(OrchestrationStore store, string subtaskId) => store.Database.Read(c =>
    {
        using var command = c.CreateCommand();
        command.CommandText = "SELECT agent, ended_how FROM subtask_claims WHERE subtask_id = $id ORDER BY id";
        command.Parameters.AddWithValue("$id", subtaskId);
        using var reader = command.ExecuteReader();
        var claims = new List<(string, string?)>();
        while (reader.Read()) claims.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
        return claims;
    });
}
