namespace Orchestrator.Orchestration.Storage;

/// <summary>
/// The first answers of idempotent calls (<c>idempotent_calls</c>), by scope (the calling client) and request id, kept
/// for <see cref="Tooling.IdempotentRequest.Kept"/>: an older one is as good as gone (never matched) and is deleted lazily.
/// </summary>
internal static class IdempotencyRepository
{
    public static StoredCall? Find(Sql sql, string scope, string requestId, DateTimeOffset keptSince) =>
        sql.List(r => new StoredCall(r.GetString(0), r.GetString(1), r.GetString(2)),
            "SELECT tool, fingerprint, answer FROM idempotent_calls WHERE scope = $scope AND request_id = $id AND created_at >= $since",
            ("$scope", scope), ("$id", requestId), ("$since", keptSince.ToUnixTimeMilliseconds())).FirstOrDefault();

    /// <summary>Keeps an answer; replaces an expired one under the same id.</summary>
    public static void Insert(Sql sql, string scope, Tooling.IdempotentRequest request, string answer, DateTimeOffset now) =>
        sql.Execute("""
            INSERT OR REPLACE INTO idempotent_calls (scope, request_id, tool, fingerprint, answer, created_at)
            VALUES ($scope, $id, $tool, $fingerprint, $answer, $now)
            """, ("$scope", scope), ("$id", request.RequestId), ("$tool", request.Tool), ("$fingerprint", request.Fingerprint),
            ("$answer", answer), ("$now", now.ToUnixTimeMilliseconds()));

    /// <summary>Deletes the answers kept since before <paramref name="keptSince"/>; returns how many.</summary>
    public static int Prune(Sql sql, DateTimeOffset keptSince) =>
        sql.Execute("DELETE FROM idempotent_calls WHERE created_at < $since", ("$since", keptSince.ToUnixTimeMilliseconds()));
}

internal sealed record StoredCall(string Tool, string Fingerprint, string Answer);
