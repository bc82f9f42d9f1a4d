namespace Orchestrator.Reboot;

/// <summary>
/// What one image tells the next about itself beyond the client's state: how many in-place restarts this process had
/// made when it wrote the snapshot, and a fingerprint of each list it served (tools, prompts, resource templates), so
/// the next image can tell its clients which lists changed, and only those.
/// </summary>
internal sealed record ImageLineage(int Generation, IReadOnlyList<ServedList> Served)
{
    /// <summary>
    /// The kinds of list whose fingerprint differs between <paramref name="previous"/> and <paramref name="current"/>, a
    /// list served by one image only included; ordinal order. Without a previous lineage (written by a release before
    /// lineages existed, hence a live upgrade) every kind counts as changed: a client that lists again loses nothing.
    /// </summary>
    public static IReadOnlyList<string> ChangedKinds(ImageLineage? previous, IReadOnlyList<ServedList> current)
    {
        if (previous is null) return current.Select(l => l.Kind).Order(StringComparer.Ordinal).ToArray();
        var before = previous.Served.ToDictionary(l => l.Kind, l => l.Fingerprint, StringComparer.Ordinal);
        var now = current.ToDictionary(l => l.Kind, l => l.Fingerprint, StringComparer.Ordinal);
        return before.Keys.Union(now.Keys)
            .Where(kind => !before.TryGetValue(kind, out var a) || !now.TryGetValue(kind, out var b) || a != b)
            .Order(StringComparer.Ordinal).ToArray();
    }
}

/// <summary>One list an image serves (<c>tools</c>, <c>prompts</c>, <c>resources</c>) and a fingerprint of its entries.</summary>
internal sealed record ServedList(string Kind, ulong Fingerprint);
