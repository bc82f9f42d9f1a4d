using Orchestrator.Orchestration;
using Orchestrator.Reboot;

namespace Orchestrator.Hosting;

/// <summary>The restart's view of the task store: subtasks in progress are the work it suspends and resumes. Without a store there is none.</summary>
internal sealed class TaskWorkSuspension(TaskOrchestrator? tasks) : IWorkSuspension
{
    public int InProgress => tasks?.CountSubtasks(SubtaskStatus.InProgress) ?? 0;

    public IReadOnlyList<string> SuspendInProgress(TimeSpan wait) => tasks?.SuspendInProgress(wait) ?? [];

    public void Resume(IReadOnlyList<string> ids) => tasks?.Resume(ids);
}
