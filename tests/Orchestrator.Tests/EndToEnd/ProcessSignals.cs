using System.Runtime.InteropServices;

namespace Orchestrator.Tests.EndToEnd;

/// <summary>Sends a signal to a server process, as an operator, a service manager or a terminal would.</summary>
internal static class ProcessSignals
{
    public const int SIGINT = 2;
    public const int SIGTERM = 15;

    public static int Parse(string name) => name switch
    {
        "SIGINT" => SIGINT,
        "SIGTERM" => SIGTERM,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "SIGINT or SIGTERM"),
    };

    public static void Send(int pid, int signal)
    {
        if (kill(pid, signal) != 0) throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
