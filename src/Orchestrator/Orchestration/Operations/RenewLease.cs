using Orchestrator.Orchestration.Contract;
using Orchestrator.Orchestration.Storage;
using Orchestrator.Tooling;

namespace Orchestrator.Orchestration;

public sealed partial class TaskOrchestrator
{
    /// <summary>
    /// <c>orchestrator_renew_lease</c>: the holder's heartbeat. Its lease now ends <c>lease_seconds</c> from now (which may
    /// shorten it). A holder whose lease has ended still holds the subtask until another agent claims it, and may renew.
    /// </summary>
    public ToolOutcome<RenewLeaseResult> RenewLease(RenewLeaseArgs args, TaskCaller? caller = null)
    {
        const string phase = "renew_lease";
        return Write<RenewLeaseResult>(phase, caller ?? TaskCaller.None, sql =>
        {
            var errors = new ArgumentErrors();
            var agent = AgentOf(errors, args.Agent, caller ?? TaskCaller.None);
            Require(errors, phase);
            var subtask = SubtaskOrThrow(sql, args.SubtaskId, phase);
            var claim = SubtaskLifecycle.IsWorking(subtask.Status) ? ClaimRepository.Open(sql, subtask.Id) : null;
            if (claim is null)
                throw OrchestrationException.InvalidState(
                    $"Cannot renew the lease on subtask {subtask.Id} (\"{subtask.Key}\"): it is {Wire(subtask.Status)} and nobody holds it (claim it with orchestrator_execute_subtask)", phase);
            var now = Now();
            if (claim.Agent != agent)
                throw claim.LeaseUntil > now
                    ? SubtaskClaims.Held(subtask, claim, "renew the lease on", phase)
                    : OrchestrationException.InvalidState(
                        $"Cannot renew the lease on subtask {subtask.Id} (\"{subtask.Key}\"): agent \"{claim.Agent}\" held it, not \"{agent}\"; its lease has ended, so claim it with orchestrator_execute_subtask", phase);
            var until = now.AddSeconds(args.LeaseSeconds);
            ClaimRepository.Renew(sql, claim.Id, until);
            var renewed = claim with { LeaseUntil = until };
            return _ => new RenewLeaseResult { Claim = ClaimOf(renewed, null), WasExpired = claim.LeaseUntil <= now };
        });
    }
}
