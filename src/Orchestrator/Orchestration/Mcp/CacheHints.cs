using System.Text.Json;

namespace Orchestrator.Orchestration.Mcp;

/// <summary>
/// The caching hints (SEP-2549, required from protocol revision 2026-07-28, harmless extra fields before it) that list
/// and read results carry: how long a client may keep the answer (<c>ttlMs</c>) and whether a cache shared across
/// authorization contexts may hold it (<c>cacheScope</c>). Both transports write the same values from here.
/// </summary>
internal static class CacheHints
{
    /// <summary>
    /// The tools, prompts and resource templates are compiled into the binary: they change only when the process restarts
    /// in place into another binary (a live upgrade, another <c>--tools</c> selection). Over stdio that restart sends
    /// <c>list_changed</c>, which invalidates a cached list whatever its TTL; over HTTP nothing tells the client, so the
    /// hint bounds how long a stale list can outlive an upgrade (a call to a tool that went away fails and is re-listed).
    /// </summary>
    public const int FixedPerBinaryTtlMs = 300_000;

    /// <summary>
    /// The resources are the store's tasks, subtasks and artifacts: any tool call may change them, so an answer is stale
    /// as soon as it is sent (subscriptions, over stdio, say when a resource changed).
    /// </summary>
    public const int StoreTtlMs = 0;

    /// <summary>The binary's own lists hold no one's data: any cache may share them.</summary>
    public const string FixedPerBinaryScope = "public";

    /// <summary>The store's content is what the bearer token guards over HTTP: never shared across authorization contexts.</summary>
    public const string StoreScope = "private";

    public static void WriteFixedPerBinary(Utf8JsonWriter w)
    {
        w.WriteNumber("ttlMs"u8, FixedPerBinaryTtlMs);
        w.WriteString("cacheScope"u8, FixedPerBinaryScope);
    }

    public static void WriteStore(Utf8JsonWriter w)
    {
        w.WriteNumber("ttlMs"u8, StoreTtlMs);
        w.WriteString("cacheScope"u8, StoreScope);
    }
}
