using System.Globalization;

namespace Orchestrator.Native;

/// <summary>
/// Names a server process so that another one can tell later whether it still runs: the machine's boot, the PID and
/// the process's start time (from <c>/proc</c>). An in-place restart (<c>execv</c>) keeps all three, so a claim taken
/// before it stays this process's; a process that died leaves a name no running process has, even once its PID is
/// reused (the start time differs), even after the machine rebooted (the boot differs).
/// </summary>
internal static class ProcessIdentity
{
    private static readonly Lazy<string> s_current = new(() => Of(Environment.ProcessId) ?? $"unknown:{Environment.ProcessId}:0");

    /// <summary>This process's name.</summary>
    public static string Current => s_current.Value;

    /// <summary>Whether the process <paramref name="name"/> names runs now (false for a name this machine cannot read).</summary>
    public static bool IsRunning(string name)
    {
        if (name == Current) return true;
        var parts = name.Split(':');
        return parts.Length == 3 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && Of(pid) == name;
    }

    /// <summary>The name of process <paramref name="pid"/> as it runs now, or null when none runs under that PID.</summary>
    private static string? Of(int pid)
    {
        try
        {
            var boot = File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            // Field 22 (start time, in clock ticks since boot) counts from after the command name, which may hold spaces.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return $"{boot[..8]}:{pid.ToString(CultureInfo.InvariantCulture)}:{fields[19]}";
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
