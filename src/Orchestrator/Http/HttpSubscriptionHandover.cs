using System.Buffers;
using Orchestrator.Reboot.Snapshot;

namespace Orchestrator.Http;

/// <summary>
/// The HTTP sessions' subscriptions as they cross a restart: bytes the snapshot carries as one section without reading
/// them (<see cref="SnapshotFormat.Section.HttpSubscriptions"/>), encoded here with the snapshot's primitives. No change
/// mark is carried: each client's stream names its own in <c>Last-Event-ID</c> when it resumes (<see cref="SessionEventId"/>).
/// <code>
/// u16 layout (1)   i32 sessions, each:   str session id   i32 URIs, each str   i32 owed lists, each str (tools, prompts, resources)
/// </code>
/// </summary>
internal static class HttpSubscriptionHandover
{
    private const ushort Layout = 1;

    /// <summary>More than any server keeps (sessions are bounded well below): a count past it means the bytes are not ours.</summary>
    private const int MaxCount = 1_000_000;

    public static byte[] Encode(IReadOnlyList<(string SessionId, string[] Uris, string[] OwedLists)> sessions)
    {
        var output = new ArrayBufferWriter<byte>(256);
        var e = new SnapshotWriter.Encoder(output);
        e.UInt16(Layout);
        e.Int32(sessions.Count);
        foreach (var (id, uris, owed) in sessions)
        {
            e.String(id);
            e.Int32(uris.Length);
            foreach (var uri in uris) e.String(uri);
            e.Int32(owed.Length);
            foreach (var kind in owed) e.String(kind);
        }
        return output.WrittenSpan.ToArray();
    }

    /// <summary>The carried sessions, or null when the bytes are not a layout this build reads or do not hold together.</summary>
    public static List<(string SessionId, string[] Uris, string[] OwedLists)>? TryDecode(ReadOnlySpan<byte> bytes)
    {
        try
        {
            var d = new SnapshotReader.Decoder(bytes);
            if (d.UInt16() != Layout) return null;
            var count = d.Int32();
            if (count is < 0 or > MaxCount) return null;
            var sessions = new List<(string, string[], string[])>(count);
            for (var i = 0; i < count; i++)
            {
                var id = d.String();
                var uris = Strings(ref d);
                var owed = Strings(ref d);
                if (uris is null || owed is null) return null;
                sessions.Add((id, uris, owed));
            }
            return d.AtEnd ? sessions : null;
        }
        catch (SnapshotCorruptException)
        {
            return null;
        }
    }

    private static string[]? Strings(ref SnapshotReader.Decoder d)
    {
        var count = d.Int32();
        if (count is < 0 or > MaxCount) return null;
        var strings = new string[count];
        for (var i = 0; i < count; i++) strings[i] = d.String();
        return strings;
    }
}
