namespace Orchestrator.TestHooks;

/// <summary>
/// <c>hold-http-host</c>: every image holds back its HTTP host (ASP.NET Core: Kestrel, the SDK's endpoint) before building
/// it, so that a test can see what is served without it (<c>Http/HttpFront</c>): announced on stderr, released through
/// the resume FIFO (<see cref="TestHookBlock"/>).
/// </summary>
internal static class HttpHostHold
{
    /// <summary>The line a holding image writes to stderr: what a test waits for.</summary>
    public const string Announcement = "orchestrator-test-hook: holding the HTTP host";

    public static void Wait(string? resumeFifo) => TestHookBlock.AnnounceAndWait(Announcement, resumeFifo);
}
