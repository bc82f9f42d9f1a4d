using System.Text;
using Orchestrator.Native;
using Orchestrator.Storage;

namespace Orchestrator.Http;

/// <summary>
/// Reads the bearer token from <c>--auth-token-file</c> as ssh reads a private key: a file that other users can read or
/// change (group or other mode bits, or another owner than this user or root) is refused, since its token is no secret,
/// unless the user accepted that (<c>--allow-readable-token-file</c>). The token is the file's first line, trimmed.
/// Problems name the file and never its content.
/// </summary>
internal static class TokenFile
{
    /// <summary>A token file is a line; anything larger is the wrong file.</summary>
    public const int MaxBytes = 64 * 1024;

    /// <summary>The token read from <paramref name="path"/>, or why there is none; <see cref="TokenFileRead.Version"/> is the file read.</summary>
    public static TokenFileRead Read(string path, bool allowExposed)
    {
        Microsoft.Win32.SafeHandles.SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return TokenFileRead.Refused($"cannot read {path}: {ex.Message}", FileStat.Of(path));
        }
        using (handle)
        {
            // The checks look at the file that was opened, not at whatever the path names a moment later.
            if (FileStat.Of(handle) is not { } stat) return TokenFileRead.Refused($"cannot read {path}", null);
            if (stat.IsDirectory) return TokenFileRead.Refused($"{path} is a directory", stat);
            if (!allowExposed && ExposureOf(path, stat) is { } exposure) return TokenFileRead.Refused(exposure, stat);
            if (stat.Size > MaxBytes) return TokenFileRead.Refused($"{path} is larger than {MaxBytes / 1024} KiB: not a token file", stat);
            var bytes = new byte[(int)stat.Size];
            int read;
            try
            {
                read = RandomAccess.Read(handle, bytes, 0);
            }
            catch (IOException ex)
            {
                return TokenFileRead.Refused($"cannot read {path}: {ex.Message}", stat);
            }
            var text = Encoding.UTF8.GetString(bytes, 0, read);
            var newline = text.IndexOf('\n');
            var token = (newline >= 0 ? text[..newline] : text).Trim();
            return token.Length == 0 ? TokenFileRead.Refused($"{path} is empty", stat) : new TokenFileRead(token, null, stat);
        }
    }

    /// <summary>Why other users could learn or replace the token in <paramref name="path"/>; null when they cannot.</summary>
    private static string? ExposureOf(string path, FileStat stat)
    {
        if (stat.Owner != Libc.geteuid() && stat.Owner != 0)
            return $"{path} belongs to another user (uid {stat.Owner}), who can change the token: use a file of your own, mode 0600, " +
                   "or accept it with --allow-readable-token-file";
        if (!PrivateFiles.IsOpenToOthers(stat.Permissions)) return null;
        var exposure = new Exposure(path, IsDirectory: false, stat.Permissions);
        return $"{path}: {exposure.Finding}, so the token in it is no secret. Make it private ({exposure.Fix}), " +
               "or accept it with --allow-readable-token-file";
    }
}

/// <summary>A token file read: the token, or the problem that refused it; and the version of the file looked at (null when there was none).</summary>
internal sealed record TokenFileRead(string? Token, string? Problem, FileStat? Version)
{
    public static TokenFileRead Refused(string problem, FileStat? version) => new(null, problem, version);
}
