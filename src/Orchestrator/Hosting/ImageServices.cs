using Microsoft.Extensions.Logging;
using Orchestrator.Orchestration;
using Orchestrator.Orchestration.Contract;
using Orchestrator.Orchestration.Handlers;
using Orchestrator.Reboot;
using Orchestrator.Reboot.Contract;
using Orchestrator.Reboot.Handlers;
using Orchestrator.Reboot.Snapshot;
using Orchestrator.Storage;
using Orchestrator.TestHooks;
using Orchestrator.Tooling;

namespace Orchestrator.Hosting;

/// <summary>
/// What one process image serves with once its store is open, wired by hand (no DI container on the start-up path):
/// the handler of every tool (<see cref="IToolHandlerSource"/>), each given only the collaborators it uses, and the
/// restart history and work suspension that the new image's half of a restart completes with.
/// </summary>
internal sealed class ImageServices : IToolHandlerSource
{
    public ImageServices(ServerOptions options, Store store, IServingMode mode, RestartState state, RateLimiter limits,
        RestartEffects effects, TerminationSignals signals, ServerLog log, TimeProvider clock, ServedSurface surface)
    {
        var tasks = store.Database is { } database
            ? new TaskOrchestrator(database, clock, Directory.GetCurrentDirectory(), answerBudget: options.AnswerBudget)
            : null;
        Work = new TaskWorkSuspension(tasks);
        History = store.Database is { } db ? new RestartHistoryStore(db) : null;

        var settings = new RestartSettings(options.SnapshotDirectory, SnapshotFormat.DataDirectoryId(options.DataDirectory),
            options.RestartArguments, ServerInfo.Identity, surface.Lineage);
        var successor = new SuccessorCheck(ServerInfo.Identity, () => store.Database?.SchemaVersion ?? Migrations.Latest);
        var restart = new OutgoingImage(state, mode.Restart, Work, store, limits, settings, effects, successor, signals, clock,
            log.CreateLogger("Orchestrator"), log.Flush);
        var readiness = new RestartReadiness(state, mode.Restart, Work, limits, options.SnapshotDirectory, store, successor);
        var health = new StoreHealth(store.Database, store.Error, options.DatabasePath, options.DataDirectory);

        RestartServer = new RestartServerHandler(state, restart);
        HealthCheck = new HealthCheckHandler(readiness, health, mode.Clients, Work, clock, ServerInfo.Build, surface.Generation);
        ShutdownPrepare = new ShutdownPrepareHandler(readiness, Work, mode.Restart, health, mode.Clients, clock);
        RestartStatus = new RestartStatusHandler(state, History, store.Error, clock);
        ReconnectTest = new ReconnectTestHandler(mode.Clients, mode.Restart, History, store.Error, clock);
        TestSleep = new TestSleepHandler();

        TaskToolHandler<TArgs, TResult> TaskTool<TArgs, TResult>(Func<TaskOrchestrator, TArgs, TaskCaller, ToolOutcome<TResult>> call, string phase)
            where TResult : IJsonWritable => new(tasks, store.Error, call, phase);
        InitializeSession = TaskTool<InitializeSessionArgs, InitializeSessionResult>(static (t, a, c) => t.InitializeSession(a, c), "initialize_session");
        PlanTask = TaskTool<PlanTaskArgs, PlanTaskResult>(static (t, a, c) => t.PlanTask(a, c), "plan_task");
        ExecuteSubtask = TaskTool<ExecuteSubtaskArgs, ExecuteSubtaskResult>(static (t, a, c) => t.ExecuteSubtask(a, c), "execute_subtask");
        CompleteSubtask = TaskTool<CompleteSubtaskArgs, CompleteSubtaskResult>(static (t, a, c) => t.CompleteSubtask(a, c), "complete_subtask");
        SynthesizeResults = TaskTool<SynthesizeResultsArgs, SynthesizeResultsResult>(static (t, a, _) => t.SynthesizeResults(a), "synthesize_results");
        GetStatus = TaskTool<GetStatusArgs, GetStatusResult>(static (t, a, _) => t.GetStatus(a), "get_status");
        QueryTasks = TaskTool<QueryTasksArgs, QueryTasksResult>(static (t, a, _) => t.QueryTasks(a), "query_tasks");
        UpdateTask = TaskTool<UpdateTaskArgs, UpdateTaskResult>(static (t, a, c) => t.UpdateTask(a, c), "update_task");
        CancelTask = TaskTool<CancelTaskArgs, CancelTaskResult>(static (t, a, c) => t.CancelTask(a, c), "cancel_task");
        RevisePlan = TaskTool<RevisePlanArgs, RevisePlanResult>(static (t, a, c) => t.RevisePlan(a, c), "revise_plan");
        ReportSubtask = TaskTool<ReportSubtaskArgs, ReportSubtaskResult>(static (t, a, c) => t.ReportSubtask(a, c), "report_subtask");
        ReopenSubtask = TaskTool<ReopenSubtaskArgs, ReopenSubtaskResult>(static (t, a, c) => t.ReopenSubtask(a, c), "reopen_subtask");
        ReviewSubtask = TaskTool<ReviewSubtaskArgs, ReviewSubtaskResult>(static (t, a, c) => t.ReviewSubtask(a, c), "review_subtask");
        NextSubtasks = TaskTool<NextSubtasksArgs, NextSubtasksResult>(static (t, a, _) => t.NextSubtasks(a), "next_subtasks");
        ReadText = TaskTool<ReadTextArgs, ReadTextResult>(static (t, a, _) => t.ReadText(a), "read_text");
        RenewLease = TaskTool<RenewLeaseArgs, RenewLeaseResult>(static (t, a, c) => t.RenewLease(a, c), "renew_lease");
        ReleaseSubtask = TaskTool<ReleaseSubtaskArgs, ReleaseSubtaskResult>(static (t, a, c) => t.ReleaseSubtask(a, c), "release_subtask");
        TaskHistory = TaskTool<TaskHistoryArgs, TaskHistoryResult>(static (t, a, _) => t.TaskHistory(a), "task_history");
        Export = new ExportToolHandler(tasks, store.Error, Path.Combine(options.DataDirectory, "exports"), ServerInfo.Version);
    }

    /// <summary>Subtasks in progress, as a restart suspends and resumes them.</summary>
    public IWorkSuspension Work { get; }

    /// <summary>The restart history; null when the store could not be opened.</summary>
    public RestartHistoryStore? History { get; }

    public IToolHandler<RestartServerArgs, RestartServerResult> RestartServer { get; }
    public IToolHandler<HealthCheckArgs, HealthCheckResult> HealthCheck { get; }
    public IToolHandler<ShutdownPrepareArgs, ShutdownPrepareResult> ShutdownPrepare { get; }
    public IToolHandler<RestartStatusArgs, RestartStatusResult> RestartStatus { get; }
    public IToolHandler<ReconnectTestArgs, ReconnectTestResult> ReconnectTest { get; }
    public IToolHandler<TestSleepArgs, TestSleepResult> TestSleep { get; }
    public IToolHandler<InitializeSessionArgs, InitializeSessionResult> InitializeSession { get; }
    public IToolHandler<PlanTaskArgs, PlanTaskResult> PlanTask { get; }
    public IToolHandler<ExecuteSubtaskArgs, ExecuteSubtaskResult> ExecuteSubtask { get; }
    public IToolHandler<CompleteSubtaskArgs, CompleteSubtaskResult> CompleteSubtask { get; }
    public IToolHandler<SynthesizeResultsArgs, SynthesizeResultsResult> SynthesizeResults { get; }
    public IToolHandler<GetStatusArgs, GetStatusResult> GetStatus { get; }
    public IToolHandler<QueryTasksArgs, QueryTasksResult> QueryTasks { get; }
    public IToolHandler<UpdateTaskArgs, UpdateTaskResult> UpdateTask { get; }
    public IToolHandler<CancelTaskArgs, CancelTaskResult> CancelTask { get; }
    public IToolHandler<RevisePlanArgs, RevisePlanResult> RevisePlan { get; }
    public IToolHandler<ReportSubtaskArgs, ReportSubtaskResult> ReportSubtask { get; }
    public IToolHandler<ReopenSubtaskArgs, ReopenSubtaskResult> ReopenSubtask { get; }
    public IToolHandler<ReviewSubtaskArgs, ReviewSubtaskResult> ReviewSubtask { get; }
    public IToolHandler<NextSubtasksArgs, NextSubtasksResult> NextSubtasks { get; }
    public IToolHandler<ReadTextArgs, ReadTextResult> ReadText { get; }
    public IToolHandler<TaskHistoryArgs, TaskHistoryResult> TaskHistory { get; }
    public IToolHandler<ExportArgs, ExportResult> Export { get; }
    public IToolHandler<RenewLeaseArgs, RenewLeaseResult> RenewLease { get; }
    public IToolHandler<ReleaseSubtaskArgs, ReleaseSubtaskResult> ReleaseSubtask { get; }
}
