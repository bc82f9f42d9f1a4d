using System.Globalization;
using Orchestrator.Reboot.Snapshot;

namespace Orchestrator.Reboot;

/// <summary>
/// The contract between the two halves of a restart: everything that crosses <c>execv</c>, written by the old image
/// (<see cref="OutgoingImage"/>) and read by the new one (<see cref="IncomingImage"/>), here and nowhere else.
/// <list type="bullet">
/// <item>argv: the user's own flags as given (relative paths resolve the same in the same working directory), then
/// <c>--resume SNAPSHOT</c>, <c>--resume-request ID</c> and the inherited sockets;</item>
/// <item>inherited descriptors: sockets passed by number in argv, their close-on-exec flag cleared by the transport that
/// owns them. They travel in argv rather than in the snapshot so that a snapshot that cannot be trusted still leaves the
/// new image listening and able to answer the restart call with STATE_CORRUPTION; so does the restart call's id;</item>
/// <item>the snapshot: <c>snapshots/restart-PID.snap</c> in the data directory (layout: <see cref="SnapshotFormat"/>),
/// read once by the new image and deleted, applied or not;</item>
/// <item>the environment, inherited as it is: the host puts the HTTP token there rather than in argv, which other users
/// can read (Hosting/TokenHandover.cs).</item>
/// </list>
/// </summary>
internal sealed record Handover(string SnapshotPath, string? RequestIdJson, InheritedSockets Sockets)
{
    public const string SnapshotFlag = "--resume";
    public const string RequestFlag = "--resume-request";
    public const string ListeningFlag = "--http-listen-fd";
    public const string IdleFlag = "--http-connection-fds";
    public const string PendingFlag = "--http-pending-fd";
    public const string PendingStreamFlag = "--http-pending-stream";

    private const string SnapshotPrefix = "restart-";

    /// <summary>Where the old image of process <paramref name="pid"/> writes its snapshot: one file per process, so servers sharing a data directory never collide.</summary>
    public static string SnapshotPathFor(string snapshotDirectory, int pid) =>
        Path.Combine(snapshotDirectory, $"{SnapshotPrefix}{pid.ToString(CultureInfo.InvariantCulture)}.snap");

    /// <summary>The new image's argv: the executable, the user's own flags, then this handover.</summary>
    public IReadOnlyList<string> Arguments(string executable, IReadOnlyList<string> userArguments)
    {
        var argv = new List<string> { executable };
        argv.AddRange(userArguments);
        argv.Add(SnapshotFlag);
        argv.Add(SnapshotPath);
        if (RequestIdJson is not null)
        {
            argv.Add(RequestFlag);
            argv.Add(RequestIdJson);
        }
        if (Sockets.Listening is { } listening)
        {
            argv.Add(ListeningFlag);
            argv.Add(Number(listening));
        }
        if (Sockets.Idle.Count > 0)
        {
            argv.Add(IdleFlag);
            argv.Add(string.Join(',', Sockets.Idle.Select(Number)));
        }
        if (Sockets.Pending is { } pending)
        {
            argv.Add(PendingFlag);
            argv.Add(Number(pending));
            if (Sockets.PendingStream) argv.Add(PendingStreamFlag);
        }
        return argv;
    }

    /// <summary>Reads the snapshot and deletes it: consumed or rejected, a snapshot is never applied twice.</summary>
    /// <exception cref="SnapshotCorruptException">The snapshot cannot be trusted; the message says why.</exception>
    public RestartSnapshot TakeSnapshot(ulong dataDirectoryId)
    {
        try
        {
            return SnapshotReader.Read(SnapshotPath, dataDirectoryId);
        }
        finally
        {
            TryDelete(SnapshotPath);
        }
    }

    /// <summary>
    /// At a cold start: deletes the snapshots (and half-written ones) of processes that are gone, whose new image never
    /// came. Snapshots of live processes sharing the data directory are theirs.
    /// </summary>
    public static void RemoveOrphanedSnapshots(string snapshotDirectory, Func<int, bool> isAnotherLiveProcess)
    {
        if (!Directory.Exists(snapshotDirectory)) return;
        foreach (var file in Directory.EnumerateFiles(snapshotDirectory, SnapshotPrefix + "*.snap*"))
        {
            var digits = Path.GetFileName(file)[SnapshotPrefix.Length..].Split('.')[0];
            if (!int.TryParse(digits, NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid) || isAnotherLiveProcess(pid)) continue;
            TryDelete(file);
        }
    }

    public static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static string Number(int fd) => fd.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Reads the handover flags out of the new image's argv, one flag at a time, as the command line meets them; the
    /// other flags are the user's. Without <see cref="SnapshotFlag"/> there is no handover: a cold start.
    /// </summary>
    public sealed class Reader
    {
        private string? _snapshot;
        private string? _requestId;
        private int? _listening;
        private int[] _idle = [];
        private int? _pending;
        private bool _pendingStream;

        /// <summary>Whether <paramref name="flag"/> is a handover flag; if so it is read, its value taken from <paramref name="value"/>.</summary>
        /// <exception cref="FormatException">A descriptor that is not a number above 2 (0-2 are the client's pipes).</exception>
        public bool TryRead(string flag, Func<string> value)
        {
            switch (flag)
            {
                case SnapshotFlag: _snapshot = value(); return true;
                case RequestFlag: _requestId = value(); return true;
                case ListeningFlag: _listening = Descriptor(flag, value()); return true;
                case IdleFlag: _idle = Descriptors(flag, value()); return true;
                case PendingFlag: _pending = Descriptor(flag, value()); return true;
                case PendingStreamFlag: _pendingStream = true; return true;
                default: return false;
            }
        }

        /// <summary>The handover read, or null at a cold start.</summary>
        /// <exception cref="FormatException">Inherited sockets named without a snapshot to resume from.</exception>
        public Handover? Build()
        {
            var sockets = new InheritedSockets(_listening, _idle, _pending, _pendingStream);
            if (_snapshot is null)
            {
                if (sockets != InheritedSockets.None || _requestId is not null)
                    throw new FormatException($"{RequestFlag} and inherited sockets are given by a restart, with {SnapshotFlag}");
                return null;
            }
            return new Handover(_snapshot, _requestId, sockets);
        }

        private static int Descriptor(string flag, string text) =>
            int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var fd) && fd > 2
                ? fd
                : throw new FormatException($"{flag}: '{text}' is not a file descriptor");

        private static int[] Descriptors(string flag, string text) =>
            text.Length == 0 ? [] : [.. text.Split(',').Select(part => Descriptor(flag, part))];
    }
}

/// <summary>
/// Sockets the new image inherits by descriptor number (Streamable HTTP): the listening socket, idle keep-alive
/// connections at a request boundary, and the connection whose request (the restart call) the new image answers first;
/// <see cref="PendingStream"/>: the old image had begun that answer as an event stream, which the new one continues.
/// </summary>
internal sealed record InheritedSockets(int? Listening, IReadOnlyList<int> Idle, int? Pending, bool PendingStream)
{
    public static InheritedSockets None { get; } = new(null, [], null, false);

    public bool Equals(InheritedSockets? other) =>
        other is not null && Listening == other.Listening && Idle.SequenceEqual(other.Idle) && Pending == other.Pending && PendingStream == other.PendingStream;

    public override int GetHashCode() => HashCode.Combine(Listening, Idle.Count, Pending, PendingStream);
}
