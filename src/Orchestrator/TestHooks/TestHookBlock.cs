namespace Orchestrator.TestHooks;

/// <summary>
/// How a hook stops the server at a known point: it announces it on stderr, written directly rather than through the
/// asynchronous logger so the line is out before the block, then blocks until the test has opened the FIFO named by
/// <c>ORCHESTRATOR_TEST_RESUME_FIFO</c> for writing and closed it, or, without one, until the process is killed.
/// </summary>
internal static class TestHookBlock
{
    public static void AnnounceAndWait(string line, string? resumeFifo)
    {
        Console.Error.WriteLine($"{line} (pid {Environment.ProcessId})");
        Console.Error.Flush();
        if (resumeFifo is null)
            Thread.Sleep(Timeout.Infinite);
        else
            File.ReadAllBytes(resumeFifo); // opening blocks until a writer opens; reading ends when it closes
    }
}
