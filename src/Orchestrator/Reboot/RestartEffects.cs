using Orchestrator.Reboot.Snapshot;

namespace Orchestrator.Reboot;

/// <summary>
/// The steps of a restart that act outside the process: writing the snapshot file, replacing the process image, and
/// entering each phase. They are passed in rather than called directly so that the test hooks (src/Orchestrator/TestHooks)
/// can wrap them (damage the snapshot as it is written, make the exec fail, pause at a phase) without a branch on the
/// restart path. Production runs <see cref="Real"/>.
/// </summary>
internal sealed record RestartEffects(ISnapshotFile Snapshot, IImageExec Exec, IRestartObserver Observer)
{
    public static RestartEffects Real { get; } = new(new AtomicSnapshotFile(), new ExecvImage(), new NoObserver());

    private sealed class AtomicSnapshotFile : ISnapshotFile
    {
        public void Write(string path, byte[] encoded) => SnapshotWriter.WriteAtomically(path, encoded);
    }

    private sealed class ExecvImage : IImageExec
    {
        public int Exec(string path, IReadOnlyList<string> argv) => ProcessImage.Exec(path, argv);
    }

    private sealed class NoObserver : IRestartObserver
    {
        public void Entered(string phase)
        {
        }
    }
}

/// <summary>Writes the encoded snapshot where the new image will read it.</summary>
internal interface ISnapshotFile
{
    void Write(string path, byte[] encoded);
}

/// <summary>Replaces the process image (<c>execv</c>); returns only on failure, with the errno, the old image intact.</summary>
internal interface IImageExec
{
    int Exec(string path, IReadOnlyList<string> argv);
}

/// <summary>Told each phase a restart enters in this image: the restart phases in the old image, <c>resuming</c> in the new one.</summary>
internal interface IRestartObserver
{
    void Entered(string phase);
}
