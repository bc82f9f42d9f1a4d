using Orchestrator.Native;

namespace Orchestrator.Hosting;

/// <summary>
/// How the HTTP token crosses an in-place restart without appearing in argv, which every local user can read
/// (<c>/proc/PID/cmdline</c>, <c>ps</c>): through the process environment, which <c>execv</c> hands to the next image and
/// only the same user (and root) can read (<c>/proc/PID/environ</c> is 0400). The restart's argv leaves
/// <c>--auth-token</c> out (<see cref="CommandLine"/>); the value goes where the next image's command line reads it anyway.
/// </summary>
internal static class TokenHandover
{
    /// <summary>The variable <c>--auth-token</c> stands for; the flag wins over it, so its value there changes nothing.</summary>
    public const string TokenVariable = "ORCHESTRATOR_AUTH_TOKEN";

    /// <summary>
    /// The token last accepted from <c>--auth-token-file</c>: an image started by a restart falls back on it when the file
    /// cannot give one then (see <see cref="Http.TokenSource.HandedOver"/>). Ignored at a cold start.
    /// </summary>
    public const string FileTokenVariable = "ORCHESTRATOR_HANDOVER_AUTH_TOKEN";

    /// <summary>Puts a token given as <c>--auth-token</c> in the environment the next image inherits (its argv will not carry it).</summary>
    public static void CarryCommandLineToken(string token) => Libc.SetEnvironment(TokenVariable, token);

    /// <summary>Hands the token just accepted from the token file to the next image, for when the file fails it.</summary>
    public static void CarryFileToken(string token) => Libc.SetEnvironment(FileTokenVariable, token);
}
