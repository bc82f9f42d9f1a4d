using System.Globalization;
using Orchestrator.Orchestration.Storage;

namespace Orchestrator.Orchestration;

/// <summary>
/// Who may work on a subtask in progress: the agent holding its claim, while the claim's lease runs. A lease is wall
/// clock (stored as an instant), so neither an in-place restart nor a cold start ends or extends it. Another agent is
/// refused with INVALID_STATE naming the holder and when the lease ends; once it has ended, anyone may claim the subtask
/// again (taking it over) or finish it. <see cref="SubtaskLifecycle.Move"/> ends the claim of a subtask that leaves
/// progress, whatever moved it.
/// </summary>
internal static class SubtaskClaims
{
    public const int DefaultLeaseSeconds = 900;
    public const int MinLeaseSeconds = 1;
    public const int MaxLeaseSeconds = 86_400;

    /// <summary>The longest agent name a call may give.</summary>
    public const int MaxAgent = 200;

    /// <summary>How a claim ended when a call moved its subtask out of progress.</summary>
    public static string EndedBy(SubtaskMove move) => move switch
    {
        SubtaskMove.Complete => "completed",
        SubtaskMove.Release => "released",
        SubtaskMove.Cancel => "cancelled",
        _ => "reported",
    };

    /// <summary>
    /// The claim an execution by <paramref name="agent"/> gets: the open one if it is already theirs (unchanged), a new
    /// one when there is none or the open one's lease has ended (it is taken over); refused while another agent's runs.
    /// </summary>
    public static (SubtaskClaim Claim, SubtaskClaim? TakenOver, bool Granted) Claim(Sql sql, Subtask subtask, string agent, int leaseSeconds,
        DateTimeOffset now, string phase)
    {
        var open = ClaimRepository.Open(sql, subtask.Id);
        if (open is not null && open.Agent == agent) return (open, null, false);
        if (open is not null && open.LeaseUntil > now) throw Held(subtask, open, "claim", phase);
        if (open is not null) ClaimRepository.End(sql, subtask.Id, now, "expired");
        var granted = ClaimRepository.Grant(sql, subtask.Id, agent, now, now.AddSeconds(leaseSeconds), open?.Agent);
        return (granted, open, true);
    }

    /// <summary>Refuses <paramref name="agent"/> while another agent's lease on the subtask runs (to complete, report, release it).</summary>
    public static SubtaskClaim? RequireHolder(Sql sql, Subtask subtask, string agent, DateTimeOffset now, string verb, string phase)
    {
        var open = ClaimRepository.Open(sql, subtask.Id);
        if (open is not null && open.Agent != agent && open.LeaseUntil > now) throw Held(subtask, open, verb, phase);
        return open;
    }

    /// <summary>
    /// Subtasks in progress that nobody may be working on: a lease that ended without renewal, a claim granted by a
    /// server process that no longer runs (killed or crashed: no in-place restart suspended its work), or no claim at
    /// all. Reported (status, health check), not changed: an ended lease already lets any agent claim the subtask.
    /// The first <paramref name="limit"/> by subtask id.
    /// </summary>
    public static List<StaleClaim> Stale(Sql sql, DateTimeOffset now, int limit)
    {
        var dead = ClaimRepository.OpenClaimRuns(sql).Where(run => !Native.ProcessIdentity.IsRunning(run)).ToHashSet(StringComparer.Ordinal);
        return ClaimRepository.Stale(sql, now, dead, limit).Select(w => w.Claim switch
        {
            null => new StaleClaim(w.SubtaskId, w.TaskId, null, "unclaimed"),
            { } c when c.LeaseUntil <= now => new StaleClaim(w.SubtaskId, w.TaskId, c, "lease_expired"),
            { } c => new StaleClaim(w.SubtaskId, w.TaskId, c, "server_died"),
        }).ToList();
    }

    public static OrchestrationException Held(Subtask subtask, SubtaskClaim claim, string verb, string phase) =>
        OrchestrationException.InvalidState(
            $"Cannot {verb} subtask {subtask.Id} (\"{subtask.Key}\"): agent \"{claim.Agent}\" holds it, its lease ends at "
            + $"{claim.LeaseUntil.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)} (the holder may renew or release it; "
            + "once the lease has ended it can be claimed again)", phase);
}

/// <summary>A subtask in progress that nobody may be working on, and why (<see cref="SubtaskClaims.Stale"/>).</summary>
internal sealed record StaleClaim(string SubtaskId, string TaskId, SubtaskClaim? Claim, string Reason);
