namespace Orchestrator.TestHooks;

/// <summary>
/// <c>hold-http-host</c>: every image holds back its HTTP host (ASP.NET Core: Kestrel, the SDK's endpoint) before building
/// it, so that a test can see what is served before the host exists (<c>Http/HttpFront</c>). The image announces it
/// on stderr, written directly so the line is out before the block, and builds the host once the test has opened the
/// FIFO named by <c>ORCHESTRATOR_TEST_RESUME_FIFO</c> for writing and closed it (without one, never).
/// </summary>
internal static class HttpHostHold
{
    /// <summary>The line a holding image writes to stderr: what a test waits for.</summary>
    public const string Announcement = "orchestrator-test-hook: holding the HTTP host";

    public static void Wait(string? resumeFifo)
    {
        Console.Error.WriteLine($"{Announcement} (pid {Environment.ProcessId})");
        Console.Error.Flush();
        if (resumeFifo is null)
            Thread.Sleep(Timeout.Infinite);
        else
            File.ReadAllBytes(resumeFifo); // opening blocks until a writer opens; reading ends when it closes
    }
}
