namespace Orchestrator.Storage;

/// <summary>
/// POSIX shell quoting for the commands this program prints for its user to run: the <c>chmod</c> that makes a store
/// file private (<see cref="Exposure.Fix"/>), the command that registers the server with a client (<c>config</c>).
/// </summary>
internal static class ShellWord
{
    /// <summary>Bare when safe, else single quotes with embedded quotes escaped.</summary>
    public static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "/._-+=:,@%".Contains(c))
            ? word
            : "'" + word.Replace("'", "'\\''") + "'";
}
