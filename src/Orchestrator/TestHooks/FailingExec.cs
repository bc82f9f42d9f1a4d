using Orchestrator.Reboot;

namespace Orchestrator.TestHooks;

/// <summary><c>fail-exec</c>: the exec reports failure (ENOENT) without replacing the image, after every check passed.</summary>
internal sealed class FailingExec : IImageExec
{
    private const int ENOENT = 2;

    public int Exec(string path, IReadOnlyList<string> argv) => ENOENT;
}
