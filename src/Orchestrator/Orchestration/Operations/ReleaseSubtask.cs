using Orchestrator.Orchestration.Answers;
using Orchestrator.Orchestration.Contract;
using Orchestrator.Orchestration.Storage;
using Orchestrator.Tooling;

namespace Orchestrator.Orchestration;

public sealed partial class TaskOrchestrator
{
    /// <summary>
    /// <c>orchestrator_release_subtask</c>: the holder gives a subtask in progress back; it returns to pending (ready for
    /// any agent) and its claim ends. Another agent may release it only once the lease has ended; a reason given becomes
    /// the revision notes the next execution gets.
    /// </summary>
    public ToolOutcome<ReleaseSubtaskResult> ReleaseSubtask(ReleaseSubtaskArgs args, TaskCaller? caller = null)
    {
        const string phase = "release_subtask";
        return Write<ReleaseSubtaskResult>(phase, caller ?? TaskCaller.None, sql =>
        {
            var errors = new ArgumentErrors();
            var agent = AgentOf(errors, args.Agent, caller ?? TaskCaller.None);
            var reason = args.Reason is null ? null : NonBlank(errors, "reason", args.Reason, Limits.MaxText);
            Require(errors, phase);
            var subtask = SubtaskOrThrow(sql, args.SubtaskId, phase);
            var task = TaskOrThrow(sql, subtask.TaskId, phase);
            var now = Now();
            var claim = SubtaskClaims.RequireHolder(sql, subtask, agent, now, "release", phase);
            var change = ChangeBy(Actor.Of(agent, null), sql, now, phase);
            subtask = SubtaskLifecycle.Move(change, subtask, SubtaskMove.Release, s => s with
            {
                StatusReason = reason,
                RevisionNotes = reason ?? s.RevisionNotes,
            });
            (task, var subtasks) = TaskLifecycle.Settle(change, task);
            subtask = TaskLifecycle.Settled(subtask, subtasks);
            return shaper => new ReleaseSubtaskResult
            {
                Subtask = Views.Subtask(shaper, subtask),
                ReleasedBy = claim?.Agent ?? agent,
                TaskStatus = task.Status,
            };
        });
    }
}
