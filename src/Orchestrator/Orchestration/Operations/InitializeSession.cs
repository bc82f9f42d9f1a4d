using Orchestrator.Orchestration.Answers;
using Orchestrator.Orchestration.Contract;
using Orchestrator.Orchestration.Storage;
using Orchestrator.Tooling;

namespace Orchestrator.Orchestration;

public sealed partial class TaskOrchestrator
{
    private const string Guidance = """
        Orchestrate work in these steps:
        1. Plan: call orchestrator_plan_task with the goal, a priority, tags and its subtasks, each assigned to one
           specialist role, with depends_on naming the sibling subtasks (by key) whose results it needs and
           review_required where a second look must approve it. Keep subtasks small enough for one focused pass;
           cycles, unknown roles and unknown dependencies are rejected.
        2. Pick: orchestrator_next_subtasks lists the ready subtasks of every open task (or of this session), ranked by
           priority, then by how many subtasks each unblocks, then by age, each with the reason for its rank.
        3. Execute: call orchestrator_execute_subtask on a ready subtask. Act as the specialist its role_prompt
           describes, using the goal, the dependency results and any revision_notes it returns.
        4. Report: orchestrator_complete_subtask with a short summary, the detailed work (kept as an artifact), file
           paths, artifact type and next action; it lists the subtasks now ready. If the work cannot be done, report it
           with orchestrator_report_subtask: failed (why), blocked (on what) or needs_revision (what to redo).
        5. Recover: orchestrator_reopen_subtask retries a failed subtask, unblocks a blocked one or reopens a completed
           one (subtasks that used its result are flagged). A subtask with review_required waits in needs_review until
           orchestrator_review_subtask approves it or sends it back with notes.
        6. Revise: orchestrator_revise_plan adds, removes, changes and reorders subtasks of a stored plan in one call.
        7. Synthesize: orchestrator_synthesize_results combines the results into one deliverable.
        Answers are cut to fit the answer budget; a cut text ends with where to read the rest (orchestrator_read_text,
        which reads artifacts and long texts in pages). orchestrator_get_status shows progress, orchestrator_query_tasks
        finds tasks by status, priority, tags and ranked full-text search, orchestrator_update_task changes a task's
        title, description, complexity, priority or tags, orchestrator_cancel_task stops one (completed work is kept).
        Everything is stored durably: a server restart suspends subtasks in progress and resumes them.
        """;

    /// <summary><c>orchestrator_initialize_session</c>: the session of a working directory, created on first use and resumed afterwards.</summary>
    public ToolOutcome<InitializeSessionResult> InitializeSession(InitializeSessionArgs args, TaskCaller? caller = null)
    {
        const string phase = "initialize_session";
        var errors = new ArgumentErrors();
        string? directory = null;
        var requested = args.WorkingDirectory ?? DefaultWorkingDirectory;
        if (string.IsNullOrWhiteSpace(requested)) errors.Add("working_directory", "must not be empty");
        else if (!Path.IsPathFullyQualified(requested)) errors.Add("working_directory", $"must be an absolute path, got \"{requested}\"");
        else
        {
            directory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(requested));
            if (directory.Length == 0) directory = Path.GetPathRoot(requested);
            if (!Directory.Exists(directory)) errors.Add("working_directory", $"directory \"{directory}\" does not exist");
        }
        if (errors.Count > 0) return errors.ToToolError() with { Phase = phase };

        return Write<InitializeSessionResult>(phase, caller ?? TaskCaller.None, sql =>
        {
            // Read the roles first: an invalid roles file refuses the call before the session is created or touched.
            var roles = _roles.For(directory!);
            var now = Now();
            var session = SessionRepository.ByWorkingDirectory(sql, directory!);
            var resumed = session is not null;
            if (session is null)
            {
                session = new Session { Id = _newId("sess"), WorkingDirectory = directory!, CreatedAt = now, LastActiveAt = now };
                SessionRepository.Insert(sql, session);
            }
            else
            {
                SessionRepository.Touch(sql, session.Id, now);
            }
            var rolesFile = RolesFile.PathIn(directory!);
            var activeTasks = TaskRepository.CountActive(sql, session.Id);
            return shaper => new InitializeSessionResult
            {
                SessionId = session.Id,
                WorkingDirectory = session.WorkingDirectory,
                Resumed = resumed,
                CreatedAt = session.CreatedAt,
                ActiveTasks = activeTasks,
                Guidance = Guidance,
                Roles = shaper.Items(roles, "roles", $"the others are in {rolesFile}").Select(r => OrchestrationMapper.ToInfo(r) with
                {
                    Description = shaper.TextWithRest(r.Description, $"{rolesFile}, role \"{r.Name}\""),
                }).ToList(),
                RolesFile = File.Exists(rolesFile) ? rolesFile : null,
                Truncated = shaper.Summary(),
            };
        });
    }
}
