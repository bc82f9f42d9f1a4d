using Orchestrator.Orchestration.Storage;

namespace Orchestrator.Orchestration;

/// <summary>What the restart system needs: real counts, and suspending/resuming the subtasks in progress around a restart.</summary>
public sealed partial class TaskOrchestrator
{
    /// <summary>The tool a restart's suspension and resumption are recorded under in the tasks' history (by <see cref="Actor.Server"/>).</summary>
    public const string RestartTool = "orchestrator_restart_server";

    /// <summary>Subtasks currently in <paramref name="status"/> across all tasks (through the status index).</summary>
    public int CountSubtasks(SubtaskStatus status) => _database.Read(c => SubtaskRepository.Count(new Sql(c, null), status));

    /// <summary>
    /// Moves every subtask in progress through this server process (claimed through it, or not claimed at all) to
    /// suspended in one committed transaction, and returns their ids (ordered) for the snapshot; waits at most
    /// <paramref name="wait"/> for the store (a restart's timeout bounds it). Work claimed through another server on the
    /// same store goes on: that server is not restarting.
    /// </summary>
    public IReadOnlyList<string> SuspendInProgress(TimeSpan? wait = null) => _database.Write((c, t) =>
    {
        var sql = new Sql(c, t);
        var now = Now();
        // This process's name is read (from /proc) only when some work in progress is claimed: not on the plain restart.
        var ids = ClaimRepository.InProgress(sql)
            .Where(w => w.ServerRun is null || w.ServerRun == Native.ProcessIdentity.Current).Select(w => w.SubtaskId).ToList();
        foreach (var id in ids)
        {
            SubtaskRepository.Transition(sql, id, SubtaskStatus.InProgress, SubtaskStatus.Suspended, now);
            HistoryRepository.InsertMove(sql, id, SubtaskStatus.InProgress, SubtaskStatus.Suspended, now, Actor.Server, RestartTool);
        }
        return ids;
    }, wait);

    /// <summary>Moves the given subtasks from suspended back to in progress; ids no longer suspended (e.g. cancelled meanwhile) are skipped. Returns how many resumed.</summary>
    public int Resume(IReadOnlyList<string> subtaskIds) => _database.Write((c, t) =>
    {
        var sql = new Sql(c, t);
        var now = Now();
        var resumed = 0;
        foreach (var id in subtaskIds)
            if (SubtaskRepository.Transition(sql, id, SubtaskStatus.Suspended, SubtaskStatus.InProgress, now))
            {
                HistoryRepository.InsertMove(sql, id, SubtaskStatus.Suspended, SubtaskStatus.InProgress, now, Actor.Server, RestartTool);
                resumed++;
            }
        return resumed;
    });
}
