using Microsoft.Data.Sqlite;
using Orchestrator.Reboot.Contract;
using Orchestrator.Storage;

namespace Orchestrator.Reboot;

/// <summary>Restart history in SQLite: one row per restart attempt, opened when it starts and closed by whichever image ends it.</summary>
internal sealed class RestartHistoryStore(Database database)
{
    /// <param name="wait">How long to wait for the store (another process may hold its lock); <see cref="Database.DefaultWait"/> by default.</param>
    /// <exception cref="StoreFaultException">Nothing was recorded.</exception>
    public long Begin(RestartServerArgs args, string reason, long startedUnixMs, int pid, string? sessionId, TimeSpan? wait = null) =>
        database.Write((c, t) =>
        {
            using var command = Command(c, t, """
                INSERT INTO restart_history (started_at_ms, reason, graceful, preserve_state, timeout_s, phase, pid, session_id)
                VALUES ($started, $reason, $graceful, $preserve, $timeout, 'maintenance_mode', $pid, $session);
                SELECT last_insert_rowid();
                """);
            command.Parameters.AddWithValue("$started", startedUnixMs);
            command.Parameters.AddWithValue("$reason", reason);
            command.Parameters.AddWithValue("$graceful", args.Graceful);
            command.Parameters.AddWithValue("$preserve", args.PreserveState);
            command.Parameters.AddWithValue("$timeout", args.Timeout);
            command.Parameters.AddWithValue("$pid", pid);
            command.Parameters.AddWithValue("$session", (object?)sessionId ?? DBNull.Value);
            return (long)command.ExecuteScalar()!;
        }, wait);

    /// <exception cref="StoreFaultException">Nothing was recorded.</exception>
    public void Finish(long id, bool success, string phase, double durationMs, long completedUnixMs, string? errorCode = null,
        string? error = null, bool sessionRestored = false, TimeSpan? wait = null) =>
        database.Write((c, t) =>
        {
            using var command = Command(c, t, """
                UPDATE restart_history SET success = $success, phase = $phase, duration_ms = $duration, completed_at_ms = $completed,
                    error_code = $code, error = $error, session_restored = $restored
                WHERE id = $id
                """);
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$success", success);
            command.Parameters.AddWithValue("$phase", phase);
            command.Parameters.AddWithValue("$duration", durationMs);
            command.Parameters.AddWithValue("$completed", completedUnixMs);
            command.Parameters.AddWithValue("$code", (object?)errorCode ?? DBNull.Value);
            command.Parameters.AddWithValue("$error", (object?)error ?? DBNull.Value);
            command.Parameters.AddWithValue("$restored", sessionRestored);
            return command.ExecuteNonQuery();
        }, wait);

    /// <summary>
    /// Closes the restarts left open (their image died, or their snapshot could not be trusted) as failed; with
    /// <paramref name="ownedBy"/>, only those of the processes it accepts (another server may share the data directory).
    /// </summary>
    public int FailUnfinished(string errorCode, string error, long nowUnixMs, Func<int, bool>? ownedBy = null) =>
        database.Write((c, t) =>
        {
            var open = new List<(long Id, int Pid)>();
            using (var select = Command(c, t, "SELECT id, pid FROM restart_history WHERE success IS NULL"))
            using (var reader = select.ExecuteReader())
                while (reader.Read()) open.Add((reader.GetInt64(0), reader.GetInt32(1)));
            var failed = 0;
            foreach (var (id, pid) in open)
            {
                if (ownedBy is not null && !ownedBy(pid)) continue;
                using var command = Command(c, t, """
                    UPDATE restart_history SET success = 0, phase = 'failed', error_code = $code, error = $error,
                        completed_at_ms = $now, duration_ms = $now - started_at_ms
                    WHERE id = $id
                    """);
                command.Parameters.AddWithValue("$id", id);
                command.Parameters.AddWithValue("$code", errorCode);
                command.Parameters.AddWithValue("$error", error);
                command.Parameters.AddWithValue("$now", nowUnixMs);
                failed += command.ExecuteNonQuery();
            }
            return failed;
        });

    public RestartHistory Summary(int recent, bool includeErrors) => database.Read(c =>
    {
        var records = new List<RestartRecord>();
        using (var command = Command(c, null, """
            SELECT started_at_ms, reason, success, duration_ms, phase, error_code, error
            FROM restart_history ORDER BY id DESC LIMIT $limit
            """))
        {
            command.Parameters.AddWithValue("$limit", recent);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                records.Add(new RestartRecord
                {
                    Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)),
                    Reason = reader.GetString(1),
                    Success = !reader.IsDBNull(2) && reader.GetBoolean(2),
                    Duration = reader.IsDBNull(3) ? null : reader.GetDouble(3) / 1000.0,
                    Phase = reader.GetString(4),
                    ErrorCode = includeErrors && !reader.IsDBNull(5) ? reader.GetString(5) : null,
                    Error = includeErrors && !reader.IsDBNull(6) ? reader.GetString(6) : null,
                });
            }
        }
        using var totals = Command(c, null, "SELECT count(*), max(CASE WHEN success = 1 THEN completed_at_ms END) FROM restart_history");
        using var row = totals.ExecuteReader();
        row.Read();
        return new RestartHistory
        {
            RecentRestarts = records,
            TotalRestarts = row.GetInt32(0),
            LastSuccessfulRestart = row.IsDBNull(1) ? null : DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(1)),
        };
    });

    /// <summary>Restarts that carried a client session across (successful reconnections) or lost it (failed), with the mean time.</summary>
    public (int Successful, int Failed, double AverageSeconds) ReconnectionStats() => database.Read(c =>
    {
        using var command = Command(c, null, """
            SELECT
              coalesce(sum(CASE WHEN success = 1 AND session_restored = 1 THEN 1 ELSE 0 END), 0),
              coalesce(sum(CASE WHEN success = 0 AND phase = 'failed' AND error_code IN ('STATE_CORRUPTION', 'PROCESS_FAILED') THEN 1 ELSE 0 END), 0),
              coalesce(avg(CASE WHEN success = 1 AND session_restored = 1 THEN duration_ms END), 0)
            FROM restart_history
            """);
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt32(0), reader.GetInt32(1), reader.GetDouble(2) / 1000.0);
    });

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }
}
