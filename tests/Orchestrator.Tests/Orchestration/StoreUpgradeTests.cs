using Orchestrator.Orchestration;
using Orchestrator.Orchestration.Contract;
using Orchestrator.Storage;
using Orchestrator.Tests.Unit;

namespace Orchestrator.Tests.Orchestration;

/// <summary>A store written by the previous schema opens with this build: migrated forward with nothing lost, and the new features work on its data.</summary>
public class StoreUpgradeTests
{
    [Test]
    public async Task A_store_of_the_previous_schema_is_migrated_keeping_every_row_and_backfilling_readiness_and_search()
    {
        using var directory = new UnitTempDirectory();
        var path = directory.File("orchestrator.db");
        var project = Directory.CreateDirectory(Path.Combine(directory.Path, "project")).FullName;
        PreviousSchemaStore.Create(path, project);
        var before = PreviousSchemaStore.OldRows(path);

        using var database = Database.Open(path);
        await Assert.That(database.SchemaVersion).IsEqualTo(Migrations.Latest);
        await Assert.That(PreviousSchemaStore.OldRows(path)).IsEqualTo(before);

        var tasks = new TaskOrchestrator(database, TimeProvider.System, project);
        var status = tasks.GetStatus(new GetStatusArgs { TaskId = "task_0ld000000001" }).Ok();
        await Assert.That(status.Tasks[0].Priority).IsEqualTo(Priority.Medium);
        await Assert.That(status.Tasks[0].Tags).IsEmpty();
        await Assert.That(status.Subtasks!.Select(s => (s.Key, s.Ready))).IsEquivalentTo([("design", false), ("build", true), ("docs", true)],
            TUnit.Assertions.Enums.CollectionOrdering.Matching);
        // Readiness was backfilled: the two subtasks waiting on nothing unfinished are next, the one that unblocks more first.
        var next = tasks.NextSubtasks(new NextSubtasksArgs { SessionId = "sess_0ld000000001" }).Ok();
        await Assert.That(next.Subtasks.Select(r => r.Subtask.Id)).IsEquivalentTo(["sub_0ld000000002", "sub_0ld000000003", "sub_0ld000000004"],
            TUnit.Assertions.Enums.CollectionOrdering.Matching);
        // Search was backfilled: task text, subtask text and a result summary.
        await Assert.That(tasks.QueryTasks(new QueryTasksArgs { Text = "zeppelin" }).Ok().Tasks.Single().Id).IsEqualTo("task_0ld000000001");
        var gondola = tasks.QueryTasks(new QueryTasksArgs { Text = "gondola" }).Ok().Tasks.Single();
        await Assert.That(gondola.Match!.SubtaskId).IsEqualTo("sub_0ld000000001");
        await Assert.That(tasks.QueryTasks(new QueryTasksArgs { Text = "notes" }).Ok().Tasks.Single().Id).IsEqualTo("task_0ld000000002");
        // The old work goes on: the dependant gets the old artifact, the old task completes.
        var build = tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = "sub_0ld000000002" }).Ok();
        await Assert.That(build.DependencyResults.Single().DetailedWork).IsEqualTo("The whole design of the gondola frames.");
        await Assert.That(build.DependencyResults.Single().FilePaths).IsEquivalentTo(["docs/design.md", "docs/frames.md"]);
        tasks.CompleteSubtask(new CompleteSubtaskArgs { SubtaskId = "sub_0ld000000002", Summary = "s", DetailedWork = "w" }).Ok();
        tasks.ExecuteSubtask(new ExecuteSubtaskArgs { SubtaskId = "sub_0ld000000003" }).Ok();
        var done = tasks.CompleteSubtask(new CompleteSubtaskArgs { SubtaskId = "sub_0ld000000003", Summary = "s", DetailedWork = "w" }).Ok();
        await Assert.That(done.TaskStatus).IsEqualTo(TaskState.Completed);
    }
}
