using Microsoft.AspNetCore.Http;

namespace Orchestrator.Http;

/// <summary>
/// The protocol revision of a 2025-era session, and its <c>MCP-Protocol-Version</c> header. The spec asks a client to
/// send the revision its session negotiated (a SHOULD) and a server to refuse only a header it does not support; the
/// SDK refuses any other revision within a session. Some clients name another session revision (the official
/// conformance suite sends 2025-03-26 on 2025-11-25 sessions): the session's own revision holds for them, so such a
/// header is dropped rather than the request refused. A header naming 2026-07-28 (stateless) or anything unknown is
/// left for the SDK to judge.
/// </summary>
internal static class SessionRevision
{
    public const string Latest = "2025-11-25";

    private static readonly string[] Revisions = ["2024-11-05", "2025-03-26", "2025-06-18", Latest];

    /// <summary>Whether <paramref name="revision"/> is one of the revisions that open sessions (through 2025-11-25).</summary>
    public static bool IsSessionEra(string revision) => Revisions.Contains(revision);

    /// <summary>What the SDK settles on for a client that asked for <paramref name="requested"/> in <c>initialize</c>.</summary>
    public static string Negotiated(string? requested) => requested is not null && Revisions.Contains(requested) ? requested : Latest;

    /// <summary>Drops a header naming another session revision than <paramref name="negotiated"/>; true when it did.</summary>
    public static bool Reconcile(IHeaderDictionary headers, string negotiated)
    {
        var named = headers["MCP-Protocol-Version"].ToString();
        if (named.Length == 0 || named == negotiated || !Revisions.Contains(named)) return false;
        headers.Remove("MCP-Protocol-Version");
        return true;
    }
}
