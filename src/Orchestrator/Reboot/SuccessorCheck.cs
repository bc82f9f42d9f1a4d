using Orchestrator.Native;

namespace Orchestrator.Reboot;

/// <summary>
/// Whether the file a restart would exec can take over from this image, and which file that was (its
/// <see cref="FileIdentity"/>, what the exec must still find there). The file this image runs from needs no proof: when the
/// path still names it, unchanged (device, inode, size, modification time as at start-up), the check costs one statx and
/// no probe, so the plain restart pays nothing for it. Any other file (replaced in place, or a staged <c>.next</c>) is
/// probed (<see cref="HandoverProbe"/>); its verdict is kept for that identity, so that a health check and the restart
/// after it probe it once. A probe that timed out is not kept: it may answer next time.
/// </summary>
internal sealed class SuccessorCheck(ImageIdentity identity, Func<int> storeSchema)
{
    private const int RememberedVerdicts = 8;

    private readonly Dictionary<FileIdentity, string?> _verdicts = [];

    /// <summary>The problem with <paramref name="path"/> as the next image (null: it can take over), and the identity checked.</summary>
    public async Task<(string? Problem, FileIdentity? Checked)> CheckAsync(string path, TimeSpan deadline, CancellationToken cancellationToken)
    {
        if (FileIdentity.Of(path) is not { } file) return ($"executable {path} no longer exists", null);
        if (ProcessImage.RunningFile is { } running && file == running) return (null, file);
        lock (_verdicts)
            if (_verdicts.TryGetValue(file, out var known)) return (Describe(path, known), file);
        var (problem, timedOut) = await HandoverProbe.AskAsync(path, identity.SnapshotFormat, storeSchema(), deadline, cancellationToken).ConfigureAwait(false);
        if (!timedOut)
            lock (_verdicts)
            {
                if (_verdicts.Count >= RememberedVerdicts) _verdicts.Clear();
                _verdicts[file] = problem;
            }
        return (Describe(path, problem), file);
    }

    private static string? Describe(string path, string? problem) => problem is null ? null : $"{path} cannot take over: {problem}";
}
