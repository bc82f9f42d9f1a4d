using Orchestrator.Orchestration.Contract;
using Orchestrator.Orchestration.Storage;
using Orchestrator.Tooling;

namespace Orchestrator.Orchestration;

public sealed partial class TaskOrchestrator
{
    private const string Guidance = """
        Orchestrate work in five steps:
        1. Plan: call orchestrator_plan_task with the goal and its subtasks, each assigned to one specialist role, with
           depends_on naming the sibling subtasks (by key) whose results it needs. Keep subtasks small enough for one
           focused pass; cycles, unknown roles and unknown dependencies are rejected.
        2. Execute: call orchestrator_execute_subtask on a ready subtask (no unfinished dependencies). Act as the
           specialist its role_prompt describes, using the goal and the dependency results it returns.
        3. Complete: call orchestrator_complete_subtask with a short summary, the detailed work (kept as an artifact and
           handed to dependent subtasks), file paths, artifact type and next action. It lists the subtasks now ready.
        4. Repeat 2-3 until every subtask is completed; orchestrator_get_status shows progress at any time.
        5. Synthesize: call orchestrator_synthesize_results to combine the results into one deliverable.
        Use orchestrator_query_tasks to find earlier tasks, orchestrator_update_task to refine a task's title,
        description or complexity, and orchestrator_cancel_task to stop one (completed work is kept).
        Everything is stored durably: a server restart suspends subtasks in progress and resumes them.
        """;

    /// <summary><c>orchestrator_initialize_session</c>: the session of a working directory, created on first use and resumed afterwards.</summary>
    public ToolOutcome<InitializeSessionResult> InitializeSession(InitializeSessionArgs args)
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

        return Write(phase, sql =>
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
            return new InitializeSessionResult
            {
                SessionId = session.Id,
                WorkingDirectory = session.WorkingDirectory,
                Resumed = resumed,
                CreatedAt = session.CreatedAt,
                ActiveTasks = TaskRepository.CountActive(sql, session.Id),
                Guidance = Guidance,
                Roles = roles.Select(OrchestrationMapper.ToInfo).ToList(),
                RolesFile = File.Exists(rolesFile) ? rolesFile : null,
            };
        });
    }
}
