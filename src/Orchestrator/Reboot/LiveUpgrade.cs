using System.Runtime.InteropServices;
using System.Text;
using Orchestrator.Native;
using Orchestrator.Reboot.Contract;

namespace Orchestrator.Reboot;

/// <summary>
/// Live upgrade: a restart for <c>configuration_update</c> or <c>schema_migration</c> runs a newer binary that the
/// operator staged beside the running one as <c>&lt;binary&gt;.next</c>. Just before the exec the running binary's file
/// gets a second name, <c>&lt;binary&gt;.previous</c> (a hard link: the way back), and the staged file is renamed over
/// <c>&lt;binary&gt;</c> (atomic within a directory, so a client starting the server meanwhile gets one binary or the
/// other, whole); the usual exec of <c>&lt;binary&gt;</c> then runs it, and later restarts and cold starts too.
/// Other reasons never pick up a staged binary: an upgrade happens only when asked for.
/// </summary>
internal sealed class LiveUpgrade
{
    public const string StagedSuffix = ".next";
    public const string PreviousSuffix = ".previous";

    private LiveUpgrade(string executable) => Executable = executable;

    public string Executable { get; }
    public string StagedPath => Executable + StagedSuffix;
    public string PreviousPath => Executable + PreviousSuffix;

    /// <summary>The upgrade this restart installs: a binary staged beside <paramref name="executable"/> and a reason that asks for one; else null.</summary>
    public static LiveUpgrade? Staged(string executable, RestartReason reason)
    {
        if (reason is not (RestartReason.ConfigurationUpdate or RestartReason.SchemaMigration) || executable.Length == 0) return null;
        return File.Exists(executable + StagedSuffix) ? new LiveUpgrade(executable) : null;
    }

    /// <summary>Why the staged binary cannot be run (checked before anything changes), or null.</summary>
    public string? Problem() => ProcessImage.Problem(StagedPath) is { } problem ? $"staged upgrade: {problem}" : null;

    /// <summary>Keeps the running binary as <c>.previous</c>, then renames the staged one over it.</summary>
    public void Install()
    {
        File.Delete(PreviousPath);
        Link(Executable, PreviousPath);
        File.Move(StagedPath, Executable, overwrite: true); // rename(2): atomic
    }

    /// <summary>The exec failed: the binary this image runs goes back in place, the new one back where it was staged.</summary>
    public void RollBack()
    {
        try
        {
            File.Move(Executable, StagedPath, overwrite: true);
            File.Move(PreviousPath, Executable, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Nothing better to do: the old image keeps serving and the failure is reported; the operator sees the files.
        }
    }

    private static unsafe void Link(string existing, string created)
    {
        var from = Encoding.UTF8.GetBytes(existing + "\0");
        var to = Encoding.UTF8.GetBytes(created + "\0");
        fixed (byte* f = from)
        fixed (byte* t = to)
            if (Libc.link(f, t) != 0)
                throw new IOException($"link({existing}, {created}) failed with errno {Marshal.GetLastPInvokeError()}");
    }
}
