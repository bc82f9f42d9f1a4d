using System.Text;
using Orchestrator.Orchestration.Answers;
using Orchestrator.Orchestration.Contract;
using Orchestrator.Orchestration.Storage;
using Orchestrator.Tooling;

namespace Orchestrator.Orchestration;

public sealed partial class TaskOrchestrator
{
    /// <summary>
    /// <c>orchestrator_execute_subtask</c>: a ready subtask (pending or needs_revision, dependencies completed), or one
    /// suspended by a restart, goes in progress, and its task too, claimed by the calling agent with a lease
    /// (<see cref="SubtaskClaims"/>). The holder executing it again changes nothing and gets the context again, so that a
    /// client that lost it (e.g. across its own restart) can carry on; another agent is refused while the lease runs, and
    /// takes the subtask over once it has ended.
    /// </summary>
    public ToolOutcome<ExecuteSubtaskResult> ExecuteSubtask(ExecuteSubtaskArgs args, TaskCaller? caller = null)
    {
        const string phase = "execute_subtask";
        return Write<ExecuteSubtaskResult>(phase, caller ?? TaskCaller.None, sql =>
        {
            var errors = new ArgumentErrors();
            var agent = AgentOf(errors, args.Agent, caller ?? TaskCaller.None);
            Require(errors, phase);
            var subtask = SubtaskOrThrow(sql, args.SubtaskId, phase);
            var task = TaskOrThrow(sql, subtask.TaskId, phase);
            if (task.Status is TaskState.Cancelled or TaskState.Completed)
                throw OrchestrationException.InvalidState($"Task {task.Id} is {Wire(task.Status)}; its subtasks cannot be executed", phase);
            var inProgress = subtask.Status == SubtaskStatus.InProgress;
            if (!inProgress) SubtaskLifecycle.Target(subtask, SubtaskMove.Execute, phase);

            var siblings = SubtaskRepository.OfTask(sql, task.Id).ToDictionary(s => s.Id, StringComparer.Ordinal);
            var dependencies = subtask.DependsOn.Select(id => siblings[id]).OrderBy(s => s.Position).ToList();
            var unmet = dependencies.Where(d => d.Status != SubtaskStatus.Completed).ToList();
            if (unmet.Count > 0)
                throw OrchestrationException.InvalidState($"Subtask {subtask.Id} (\"{subtask.Key}\") has unmet dependencies: "
                    + string.Join(", ", unmet.Select(d => $"\"{d.Key}\" ({d.Id}) is {Wire(d.Status)}")), phase);

            var session = SessionOrThrow(sql, task.SessionId, phase);
            var role = RoleCatalog.Find(_roles.For(session.WorkingDirectory), subtask.Role)
                ?? throw OrchestrationException.InvalidState(
                    $"Role \"{subtask.Role}\" of subtask {subtask.Id} is no longer defined (was it removed from {RolesFile.PathIn(session.WorkingDirectory)}?)", phase);

            var now = Now();
            var (claim, takenOver, granted) = SubtaskClaims.Claim(sql, subtask, agent, args.LeaseSeconds, now, phase);
            var already = inProgress && !granted;
            if (!inProgress)
            {
                var change = ChangeBy(Actor.Of(agent, null), sql, now, phase);
                // A fresh execution consumes its dependencies' current results: inputs reopened earlier are stale no more.
                subtask = SubtaskLifecycle.Move(change, subtask, SubtaskMove.Execute, s => s with { StaleInputs = [] });
                (task, _) = TaskLifecycle.Settle(change, task);
            }

            var artifacts = ArtifactRepository.Excerpts(sql, dependencies.Select(d => d.Id), _budget);
            return shaper => new ExecuteSubtaskResult
            {
                Subtask = Views.Subtask(shaper, subtask, descriptionWeight: 4),
                AlreadyInProgress = already,
                Claim = ClaimOf(claim, takenOver),
                RolePrompt = shaper.Text(role.Prompt, TextRef.Role(session.Id, role.Name), weight: 2),
                Goal = task.Description.Length == 0
                    ? shaper.Text(task.Title, TextRef.Task(task.Id, "title"))
                    : $"{shaper.Text(task.Title, TextRef.Task(task.Id, "title"))}\n\n{shaper.Text(task.Description, TextRef.Task(task.Id, "description"), weight: 3)}",
                TaskId = task.Id,
                RevisionNotes = shaper.Optional(subtask.RevisionNotes, TextRef.Subtask(subtask.Id, "revision_notes"), weight: 3),
                DependencyResults = shaper.Items(dependencies, "dependency_results",
                        "orchestrator_read_text ref DEPENDENCY_ID/summary and DEPENDENCY_ID/work; the ids are in subtask.depends_on")
                    .Select(d => ResultOf(shaper, d, artifacts, withWork: true)).ToList(),
                Instructions = Instructions(subtask, dependencies.Count),
                Truncated = shaper.Summary(),
            };
        });
    }

    private static ClaimView ClaimOf(SubtaskClaim claim, SubtaskClaim? takenOver) => new()
    {
        Agent = claim.Agent, ClaimedAt = claim.GrantedAt, LeaseExpiresAt = claim.LeaseUntil,
        TookOverFrom = takenOver?.Agent, TookOverLeaseExpiredAt = takenOver?.LeaseUntil,
    };

    private static DependencyResult ResultOf(AnswerShaper shaper, Subtask subtask, Dictionary<string, ArtifactRepository.Excerpt> artifacts, bool withWork)
    {
        artifacts.TryGetValue(subtask.Id, out var artifact);
        return new DependencyResult
        {
            SubtaskId = subtask.Id,
            Title = shaper.Text(subtask.Title, TextRef.Subtask(subtask.Id, "title")),
            Role = subtask.Role,
            Summary = shaper.Text(subtask.ResultSummary ?? "", TextRef.Subtask(subtask.Id, "summary")),
            DetailedWork = !withWork ? null : artifact is null ? "" : shaper.Excerpt(artifact.Text, artifact.Length, artifact.Id),
            ArtifactId = artifact?.Id,
            DetailedWorkLength = artifact?.Length ?? 0,
            FilePaths = Views.FilePaths(shaper, subtask.FilePaths, TextRef.Subtask(subtask.Id, "file_paths")),
            ArtifactType = subtask.ArtifactType,
            NextAction = shaper.Optional(subtask.NextAction, TextRef.Subtask(subtask.Id, "next_action")),
        };
    }

    /// <summary>What to do and how to report back; the subtask's own title and description are in the answer's subtask, not repeated here.</summary>
    private static string Instructions(Subtask subtask, int dependencyCount)
    {
        var text = new StringBuilder();
        text.Append("Act as the ").Append(subtask.Role).Append(" described in role_prompt and do the subtask given in subtask (title and description)");
        text.Append(". It serves the goal above");
        if (dependencyCount > 0) text.Append("; build on the ").Append(dependencyCount).Append(" dependency result(s) given");
        if (subtask.RevisionNotes is not null) text.Append("; address the revision_notes");
        text.Append(". When done, call orchestrator_complete_subtask with subtask_id \"").Append(subtask.Id)
            .Append("\", a short summary, the detailed work, the file paths you touched, the artifact type and the next action");
        if (subtask.ReviewRequired) text.Append(" (a review must then approve it)");
        text.Append(". If it cannot be done, call orchestrator_report_subtask with outcome failed, blocked or needs_revision and the reason.");
        return text.ToString();
    }
}
