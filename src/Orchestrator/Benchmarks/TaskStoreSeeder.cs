using Orchestrator.Orchestration;
using Orchestrator.Orchestration.Storage;
using Orchestrator.Storage;

namespace Orchestrator.Benchmarks;

/// <summary>
/// Fills a data directory's store with <c>count</c> tasks (two subtasks each, a mix of states) in one transaction,
/// through the same repositories the tools use, so that benchmarks can measure against a large store.
/// </summary>
internal static class TaskStoreSeeder
{
    public static void Seed(string dataDirectory, int count, string workingDirectory)
    {
        if (count == 0) return;
        Directory.CreateDirectory(dataDirectory);
        using var database = Database.Open(Path.Combine(dataDirectory, "orchestrator.db"));
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        database.Write((c, t) =>
        {
            var sql = new Sql(c, t);
            var session = new Session { Id = "sess_seed0000000", WorkingDirectory = workingDirectory, CreatedAt = now, LastActiveAt = now };
            SessionRepository.Insert(sql, session);
            for (var i = 0; i < count; i++)
            {
                var taskId = $"task_seed{i:x8}";
                var state = (i % 10) switch { < 6 => TaskState.Completed, < 8 => TaskState.InProgress, 8 => TaskState.Planned, _ => TaskState.Cancelled };
                var at = now.AddMilliseconds(-count + i);
                TaskRepository.Insert(sql, new WorkTask
                {
                    Id = taskId, SessionId = session.Id, Title = $"Seeded task {i}", Description = "Benchmark data",
                    Status = state, Complexity = Complexity.Medium, CreatedAt = at, UpdatedAt = at,
                });
                for (var position = 0; position < 2; position++)
                {
                    var status = state switch
                    {
                        TaskState.Completed => SubtaskStatus.Completed,
                        TaskState.InProgress => position == 0 ? SubtaskStatus.Completed : SubtaskStatus.Pending,
                        TaskState.Cancelled => SubtaskStatus.Cancelled,
                        _ => SubtaskStatus.Pending,
                    };
                    var subtask = new Subtask
                    {
                        Id = $"sub_seed{i:x8}{position}", TaskId = taskId, Position = position, Key = (position + 1).ToString(),
                        Title = $"Step {position + 1}", Description = "Benchmark data", Role = position == 0 ? "architect" : "implementer",
                        Complexity = Complexity.Low, Status = status, CreatedAt = at, UpdatedAt = at,
                        DependsOn = position == 0 ? [] : [$"sub_seed{i:x8}0"],
                    };
                    SubtaskRepository.Insert(sql, subtask);
                    SubtaskRepository.InsertDependencies(sql, subtask);
                }
            }
            return 0;
        });
        // Fold the seed into the database file, as a store that has lived for a while would be, rather than leaving a
        // WAL of the whole seed for the server's first query to index.
        database.Read(c =>
        {
            Database.Execute(c, "PRAGMA wal_checkpoint(TRUNCATE)");
            return 0;
        });
    }
}
