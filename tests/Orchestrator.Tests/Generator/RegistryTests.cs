using System.Text.Json;
using Orchestrator.Orchestration.Contract;
using Orchestrator.Reboot.Contract;
using Orchestrator.TestHooks;
using Orchestrator.Tooling;

namespace Orchestrator.Tests.Generator;

public class RegistryTests
{
    private sealed class Handler<TArgs, TResult> : IToolHandler<TArgs, TResult> where TResult : IJsonWritable
    {
        public ValueTask<ToolOutcome<TResult>> HandleAsync(TArgs args, ToolCallContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult<ToolOutcome<TResult>>(new ToolError(ErrorCode.SystemNotReady, "not in this test", "test"));
    }

    private sealed class Source : IToolHandlerSource
    {
        public int Touched;
        private T Touch<T>(T value) { Touched++; return value; }
        public IToolHandler<HealthCheckArgs, HealthCheckResult> HealthCheck => Touch(new Handler<HealthCheckArgs, HealthCheckResult>());
        public IToolHandler<ReconnectTestArgs, ReconnectTestResult> ReconnectTest => Touch(new Handler<ReconnectTestArgs, ReconnectTestResult>());
        public IToolHandler<RestartServerArgs, RestartServerResult> RestartServer => Touch(new Handler<RestartServerArgs, RestartServerResult>());
        public IToolHandler<RestartStatusArgs, RestartStatusResult> RestartStatus => Touch(new Handler<RestartStatusArgs, RestartStatusResult>());
        public IToolHandler<ShutdownPrepareArgs, ShutdownPrepareResult> ShutdownPrepare => Touch(new Handler<ShutdownPrepareArgs, ShutdownPrepareResult>());
        public IToolHandler<TestSleepArgs, TestSleepResult> TestSleep => Touch(new Handler<TestSleepArgs, TestSleepResult>());
        public IToolHandler<InitializeSessionArgs, InitializeSessionResult> InitializeSession => Touch(new Handler<InitializeSessionArgs, InitializeSessionResult>());
        public IToolHandler<PlanTaskArgs, PlanTaskResult> PlanTask => Touch(new Handler<PlanTaskArgs, PlanTaskResult>());
        public IToolHandler<ExecuteSubtaskArgs, ExecuteSubtaskResult> ExecuteSubtask => Touch(new Handler<ExecuteSubtaskArgs, ExecuteSubtaskResult>());
        public IToolHandler<CompleteSubtaskArgs, CompleteSubtaskResult> CompleteSubtask => Touch(new Handler<CompleteSubtaskArgs, CompleteSubtaskResult>());
        public IToolHandler<SynthesizeResultsArgs, SynthesizeResultsResult> SynthesizeResults => Touch(new Handler<SynthesizeResultsArgs, SynthesizeResultsResult>());
        public IToolHandler<GetStatusArgs, GetStatusResult> GetStatus => Touch(new Handler<GetStatusArgs, GetStatusResult>());
        public IToolHandler<QueryTasksArgs, QueryTasksResult> QueryTasks => Touch(new Handler<QueryTasksArgs, QueryTasksResult>());
        public IToolHandler<UpdateTaskArgs, UpdateTaskResult> UpdateTask => Touch(new Handler<UpdateTaskArgs, UpdateTaskResult>());
        public IToolHandler<CancelTaskArgs, CancelTaskResult> CancelTask => Touch(new Handler<CancelTaskArgs, CancelTaskResult>());
        public IToolHandler<RevisePlanArgs, RevisePlanResult> RevisePlan => Touch(new Handler<RevisePlanArgs, RevisePlanResult>());
        public IToolHandler<ReportSubtaskArgs, ReportSubtaskResult> ReportSubtask => Touch(new Handler<ReportSubtaskArgs, ReportSubtaskResult>());
        public IToolHandler<ReopenSubtaskArgs, ReopenSubtaskResult> ReopenSubtask => Touch(new Handler<ReopenSubtaskArgs, ReopenSubtaskResult>());
        public IToolHandler<ReviewSubtaskArgs, ReviewSubtaskResult> ReviewSubtask => Touch(new Handler<ReviewSubtaskArgs, ReviewSubtaskResult>());
        public IToolHandler<NextSubtasksArgs, NextSubtasksResult> NextSubtasks => Touch(new Handler<NextSubtasksArgs, NextSubtasksResult>());
        public IToolHandler<ReadTextArgs, ReadTextResult> ReadText => Touch(new Handler<ReadTextArgs, ReadTextResult>());
        public IToolHandler<TaskHistoryArgs, TaskHistoryResult> TaskHistory => Touch(new Handler<TaskHistoryArgs, TaskHistoryResult>());
        public IToolHandler<ExportArgs, ExportResult> Export => Touch(new Handler<ExportArgs, ExportResult>());
        public IToolHandler<RenewLeaseArgs, RenewLeaseResult> RenewLease => Touch(new Handler<RenewLeaseArgs, RenewLeaseResult>());
        public IToolHandler<ReleaseSubtaskArgs, ReleaseSubtaskResult> ReleaseSubtask => Touch(new Handler<ReleaseSubtaskArgs, ReleaseSubtaskResult>());
    }

    [Test]
    public async Task CreateEndpoints_builds_one_endpoint_per_declaration_with_its_schemas()
    {
        var source = new Source();
        var endpoints = GeneratedTools.CreateEndpoints(source);
        await Assert.That(endpoints.Count).IsEqualTo(GeneratedTools.All.Count);
        await Assert.That(source.Touched).IsEqualTo(GeneratedTools.All.Count);
        await Assert.That(endpoints.Select(e => e.Name).Order().ToList()).IsEquivalentTo(GeneratedTools.All.Select(t => t.Name).Order().ToList());
        foreach (var endpoint in endpoints)
            await Assert.That(ReferenceEquals(endpoint.Info, GeneratedTools.All.Single(t => t.Name == endpoint.Name))).IsTrue();
        var restart = endpoints.Single(e => e.Name == RestartServerArgs.ToolName);
        await Assert.That(restart.Info.Description).IsEqualTo(RestartServerArgs.ToolDescription);
        var input = JsonDocument.Parse(restart.Info.InputSchema).RootElement;
        await Assert.That(input.GetProperty("properties").GetProperty("timeout").GetProperty("maximum").GetInt32()).IsEqualTo(300);
        await Assert.That(JsonDocument.Parse(restart.Info.OutputSchema).RootElement.GetProperty("required").GetArrayLength()).IsEqualTo(4);
    }

    [Test]
    public async Task Excluded_groups_are_skipped_without_touching_their_handlers()
    {
        var source = new Source();
        var none = GeneratedTools.CreateEndpoints(source, _ => false);
        await Assert.That(none.Count).IsEqualTo(0);
        await Assert.That(source.Touched).IsEqualTo(0);
        var reboot = GeneratedTools.CreateEndpoints(source, group => group == "reboot");
        await Assert.That(reboot.Count).IsEqualTo(5);
        await Assert.That(source.Touched).IsEqualTo(5);
        await Assert.That(reboot.Select(e => e.Name)).DoesNotContain(TestSleepArgs.ToolName);
        await Assert.That(reboot.All(e => e.Info.Group == "reboot")).IsTrue();
    }

    [Test]
    public async Task Tool_info_carries_name_group_and_parseable_schemas()
    {
        await Assert.That(GeneratedTools.All.Count(t => t.Group == "reboot")).IsEqualTo(5);
        await Assert.That(GeneratedTools.All.Count(t => t.Group == "tasks")).IsEqualTo(19);
        await Assert.That(GeneratedTools.All.Select(t => t.Name).Distinct().Count()).IsEqualTo(GeneratedTools.All.Count);
        foreach (var tool in GeneratedTools.All)
        {
            var input = JsonDocument.Parse(tool.InputSchema).RootElement;
            await Assert.That(input.GetProperty("type").GetString()).IsEqualTo("object");
            await Assert.That(input.GetProperty("required").ValueKind).IsEqualTo(JsonValueKind.Array);
            await Assert.That(JsonDocument.Parse(tool.OutputSchema).RootElement.GetProperty("type").GetString()).IsEqualTo("object");
        }
        await Assert.That(RestartServerArgs.ToolGroup).IsEqualTo("reboot");
    }

    [Test]
    [Arguments(RestartServerArgs.ToolName, 1)]
    [Arguments(RestartStatusArgs.ToolName, 10)]
    [Arguments(ReconnectTestArgs.ToolName, 5)]
    [Arguments(HealthCheckArgs.ToolName, 0)]
    [Arguments(ShutdownPrepareArgs.ToolName, 0)]
    public async Task Reboot_tools_declare_their_rate_limit_and_are_served_during_maintenance(string name, int perMinute)
    {
        var tool = GeneratedTools.All.Single(t => t.Name == name);
        await Assert.That(tool.Rules).IsEqualTo(new ToolRules(PerMinute: perMinute, AllowedDuringMaintenance: true));
    }

    [Test]
    public async Task Task_tools_have_no_rate_limit_and_are_not_served_during_maintenance()
    {
        var tasks = GeneratedTools.All.Where(t => t.Group == "tasks").ToList();
        await Assert.That(tasks.Count).IsEqualTo(19);
        foreach (var tool in tasks)
            await Assert.That(tool.Rules with { Idempotent = false }).IsEqualTo(new ToolRules(PerMinute: 0, AllowedDuringMaintenance: false));
    }

    /// <summary>The task tools that only read.</summary>
    private static readonly string[] ReadingTools =
        [GetStatusArgs.ToolName, QueryTasksArgs.ToolName, NextSubtasksArgs.ToolName, ReadTextArgs.ToolName, SynthesizeResultsArgs.ToolName,
            TaskHistoryArgs.ToolName, ExportArgs.ToolName]; // an export reads the store; the file it writes is new each time

    [Test]
    public async Task Every_task_tool_that_changes_state_is_idempotent_and_lists_request_id_and_no_other_tool_does()
    {
        foreach (var tool in GeneratedTools.All)
        {
            var changes = tool.Group == "tasks" && !ReadingTools.Contains(tool.Name);
            await Assert.That(tool.Rules.Idempotent).IsEqualTo(changes).Because(tool.Name);
            var properties = JsonDocument.Parse(tool.InputSchema).RootElement.GetProperty("properties");
            await Assert.That(properties.TryGetProperty("request_id", out var requestId)).IsEqualTo(changes).Because(tool.Name);
            if (changes)
            {
                await Assert.That(requestId.GetProperty("type").GetString()).IsEqualTo("string");
                await Assert.That(requestId.GetProperty("maxLength").GetInt32()).IsEqualTo(IdempotentRequest.MaxRequestId);
            }
        }
    }
}
