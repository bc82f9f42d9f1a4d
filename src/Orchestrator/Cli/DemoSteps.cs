namespace Orchestrator.Cli;

/// <summary>
/// Runs the demo's steps in order, numbering them: each narrated once it has shown what it should, or reported as
/// failed (by number and name) when it throws, overruns <see cref="Timeout"/> or is interrupted. A failed step stops
/// the demo: <see cref="DemoStopped"/> carries the exit status.
/// </summary>
internal sealed class DemoSteps(DemoNarration narration, CancellationToken interrupted)
{
    /// <summary>Far beyond any step's few milliseconds; only a server that stopped answering gets near it.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private int _number;

    /// <summary>The server, once started: killed when a step overruns, so that a call blocked on it ends.</summary>
    public IDemoServer? Server { get; set; }

    public async Task RunAsync(string name, Func<Task<DemoStepReport>> body)
    {
        var number = ++_number;
        var work = Task.Run(body);
        string failure;
        var status = 1;
        try
        {
            narration.Passed(number, name, await work.WaitAsync(Timeout, interrupted));
            return;
        }
        catch (TimeoutException)
        {
            failure = $"no answer within {Timeout.TotalSeconds:0} s";
            Abandon(work);
        }
        catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
        {
            failure = "interrupted";
            status = 130;
            Abandon(work);
        }
        catch (DemoStepFailed ex)
        {
            failure = ex.Message;
        }
        catch (Exception ex)
        {
            // Whatever went wrong (the server gone, an answer not as expected), the step that met it is named. A Ctrl-C
            // at a terminal reaches the server too: a step that failed because its server went away then was interrupted.
            (failure, status) = interrupted.IsCancellationRequested ? ("interrupted", 130) : ($"{ex.GetType().Name}: {ex.Message}", 1);
        }
        narration.Failed(number, name, failure);
        throw new DemoStopped(status);
    }

    /// <summary>Kills the server so that the abandoned step's blocked call ends, and waits for the step to let go.</summary>
    private void Abandon(Task work)
    {
        Server?.Kill();
        try
        {
            work.Wait(Timeout);
        }
        catch (AggregateException)
        {
            // The step failed as its server died: that is the end we wanted.
        }
    }
}
