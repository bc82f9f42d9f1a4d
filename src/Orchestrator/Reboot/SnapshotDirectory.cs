namespace Orchestrator.Reboot;

/// <summary>Checks that restart snapshots can be written, by creating the directory and a probe file for real, and that its file system has room.</summary>
internal static class SnapshotDirectory
{
    public static string? Problem(string path)
    {
        try
        {
            Storage.PrivateFiles.CreateDirectory(path);
            var probe = Path.Combine(path, $".probe-{Environment.ProcessId}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return DiskSpace.Problem(path) is { } space ? $"snapshot directory {path} is not writable: {space}" : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"snapshot directory {path} is not writable: {ex.Message}";
        }
    }
}
