namespace Orchestrator.Http;

/// <summary>
/// Where the bearer token of the HTTP mode comes from, as the user configured it: a value (<c>--auth-token</c> or
/// <c>ORCHESTRATOR_AUTH_TOKEN</c>; it wins) or a file (<c>--auth-token-file</c>). Nothing is read here:
/// <see cref="BearerToken.Open"/> reads it when the server starts, <c>doctor</c> inspects it.
/// </summary>
/// <param name="Value">The token itself; null when it is read from <paramref name="File"/>.</param>
/// <param name="ValueOnCommandLine">
/// The value was given as <c>--auth-token</c>: visible to every local user in the process list (<c>/proc/PID/cmdline</c>)
/// for as long as this image runs.
/// </param>
/// <param name="File">The token file, an absolute path; null when the value is given.</param>
/// <param name="AllowExposedFile">
/// <c>--allow-readable-token-file</c>: accept a token file that other users can read or change (a secret mounted
/// 0444 in a container), which is otherwise refused.
/// </param>
/// <param name="HandedOver">
/// In an image started by a restart: the token the previous image last accepted from <paramref name="File"/>, used when
/// the file can no longer give one (unreadable, empty, exposed), so that a broken file never leaves the server open.
/// </param>
internal sealed record TokenSource(string? Value, bool ValueOnCommandLine, string? File, bool AllowExposedFile, string? HandedOver);
