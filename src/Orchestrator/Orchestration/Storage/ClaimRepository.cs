namespace Orchestrator.Orchestration.Storage;

/// <summary>
/// The claims agents take on subtasks (<c>subtask_claims</c>): every one ever granted, the open one (at most one per
/// subtask, by a unique partial index) being the subtask's current lease. Times are Unix milliseconds.
/// </summary>
internal static class ClaimRepository
{
    private const string Columns = "id, subtask_id, agent, server_run, granted_at, lease_until, took_over_from";

    /// <summary>The open claim of a subtask, or null.</summary>
    public static SubtaskClaim? Open(Sql sql, string subtaskId) =>
        sql.List(Read, $"SELECT {Columns} FROM subtask_claims WHERE subtask_id = $subtask AND ended_at IS NULL", ("$subtask", subtaskId))
            .FirstOrDefault();

    public static SubtaskClaim Grant(Sql sql, string subtaskId, string agent, DateTimeOffset now, DateTimeOffset leaseUntil, string? tookOverFrom)
    {
        var id = sql.Scalar("""
            INSERT INTO subtask_claims (subtask_id, agent, server_run, granted_at, lease_until, took_over_from)
            VALUES ($subtask, $agent, $run, $now, $until, $from) RETURNING id
            """, ("$subtask", subtaskId), ("$agent", agent), ("$run", Native.ProcessIdentity.Current), ("$now", now.ToUnixTimeMilliseconds()),
            ("$until", leaseUntil.ToUnixTimeMilliseconds()), ("$from", tookOverFrom));
        return new SubtaskClaim(id, subtaskId, agent, Native.ProcessIdentity.Current, now, leaseUntil, tookOverFrom);
    }

    public static void Renew(Sql sql, long claimId, DateTimeOffset leaseUntil) =>
        sql.Execute("UPDATE subtask_claims SET lease_until = $until WHERE id = $id", ("$id", claimId), ("$until", leaseUntil.ToUnixTimeMilliseconds()));

    /// <summary>Ends the open claim of a subtask, if any, saying how (<c>completed</c>, <c>released</c>, <c>expired</c>, …).</summary>
    public static void End(Sql sql, string subtaskId, DateTimeOffset now, string how) =>
        sql.Execute("UPDATE subtask_claims SET ended_at = $now, ended_how = $how WHERE subtask_id = $subtask AND ended_at IS NULL",
            ("$subtask", subtaskId), ("$now", now.ToUnixTimeMilliseconds()), ("$how", how));

    /// <summary>The server processes that granted the open claims (few: one per server that has work in progress).</summary>
    public static List<string> OpenClaimRuns(Sql sql) =>
        sql.List(r => r.GetString(0), "SELECT DISTINCT server_run FROM subtask_claims WHERE ended_at IS NULL");

    /// <summary>
    /// Subtasks in progress (or suspended by a restart), with their task and open claim, that nobody may be working on:
    /// no claim, a lease ended before <paramref name="now"/>, or a claim granted by one of <paramref name="deadRuns"/>;
    /// the first <paramref name="limit"/> by id (through the status index).
    /// </summary>
    public static List<(string SubtaskId, string TaskId, SubtaskClaim? Claim)> Stale(Sql sql, DateTimeOffset now, IReadOnlyCollection<string> deadRuns, int limit)
    {
        var (names, parameters) = Sql.InList("$run", deadRuns.Count > 0 ? deadRuns : [""]);
        return sql.List(r => (r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : Read(r, 2)), $"""
            SELECT s.id, s.task_id, c.id, c.subtask_id, c.agent, c.server_run, c.granted_at, c.lease_until, c.took_over_from
            FROM subtasks s LEFT JOIN subtask_claims c ON c.subtask_id = s.id AND c.ended_at IS NULL
            WHERE s.status IN ('in_progress', 'suspended') AND (c.id IS NULL OR c.lease_until <= $now OR c.server_run IN ({names}))
            ORDER BY s.id LIMIT $limit
            """, [("$now", now.ToUnixTimeMilliseconds()), ("$limit", limit), .. parameters]);
    }

    /// <summary>The subtasks in progress (ordered), each with the server process that granted its open claim (null: none).</summary>
    public static List<(string SubtaskId, string? ServerRun)> InProgress(Sql sql) =>
        sql.List(r => (r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1)), """
            SELECT s.id, c.server_run FROM subtasks s LEFT JOIN subtask_claims c ON c.subtask_id = s.id AND c.ended_at IS NULL
            WHERE s.status = 'in_progress' ORDER BY s.id
            """);

    private static SubtaskClaim Read(Microsoft.Data.Sqlite.SqliteDataReader r) => Read(r, 0);

    private static SubtaskClaim Read(Microsoft.Data.Sqlite.SqliteDataReader r, int at) => new(
        r.GetInt64(at), r.GetString(at + 1), r.GetString(at + 2), r.GetString(at + 3),
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(at + 4)), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(at + 5)),
        r.IsDBNull(at + 6) ? null : r.GetString(at + 6));
}

/// <summary>One claim of an agent on a subtask: its lease runs until <see cref="LeaseUntil"/> (wall clock).</summary>
internal sealed record SubtaskClaim(long Id, string SubtaskId, string Agent, string ServerRun, DateTimeOffset GrantedAt, DateTimeOffset LeaseUntil,
    string? TookOverFrom);
