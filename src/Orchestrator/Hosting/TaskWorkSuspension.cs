using Orchestrator.Orchestration;
using Orchestrator.Reboot;
using Orchestrator.Storage;

namespace Orchestrator.Hosting;

/// <summary>The restart's view of the task store: subtasks in progress are the work it suspends and resumes. Without a store there is none.</summary>
internal sealed class TaskWorkSuspension(TaskOrchestrator? tasks) : IWorkSuspension
{
    /// <summary>Subtasks in progress; 0 when the store cannot be read now (the health check reports the store's state itself).</summary>
    public int InProgress
    {
        get
        {
            try
            {
                return tasks?.CountSubtasks(SubtaskStatus.InProgress) ?? 0;
            }
            catch (StoreFaultException)
            {
                return 0;
            }
        }
    }

    public IReadOnlyList<string> StaleClaims()
    {
        try
        {
            return tasks?.StaleClaims().Select(s => $"{s.SubtaskId} (task {s.TaskId}): {s.Reason}"
                + (s.Agent is null ? "" : $", held by \"{s.Agent}\", lease until {s.LeaseExpiresAt:yyyy-MM-ddTHH:mm:ssZ}")).ToList() ?? [];
        }
        catch (StoreFaultException)
        {
            return [];
        }
    }

    public IReadOnlyList<string> SuspendInProgress(TimeSpan wait) => tasks?.SuspendInProgress(wait) ?? [];

    public void Resume(IReadOnlyList<string> ids) => tasks?.Resume(ids);
}
