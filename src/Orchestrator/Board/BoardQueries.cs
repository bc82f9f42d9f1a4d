using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Orchestrator.Board;

/// <summary>
/// What the board's JSON API answers, each read straight from the store in one read transaction and written with
/// <see cref="Utf8JsonWriter"/> (no serializer, nothing reflected). Every list is bounded: a store of 100,000 tasks
/// answers with counts and the latest cards of each status, never with everything.
/// </summary>
internal static class BoardQueries
{
    /// <summary>The statuses a task can have, in the order the board shows its columns.</summary>
    public static readonly string[] TaskStatuses = ["planned", "in_progress", "blocked", "failed", "completed", "cancelled"];

    /// <summary>Cards shown per status; the column says how many more there are.</summary>
    public const int CardsPerStatus = 50;

    public const int SessionsListed = 100;
    public const int ClaimsListed = 100;
    public const int RestartsListed = 40;

    /// <summary>The most of an artifact one request reads; the page asks for the next page when the user wants it.</summary>
    public const int MaxArtifactPage = 64 * 1024;
    public const int DefaultArtifactPage = 16 * 1024;

    public static void Overview(SqliteConnection connection, string? sessionId, long nowMs, Utf8JsonWriter json)
    {
        using var read = connection.BeginTransaction(deferred: true);
        json.WriteStartObject();
        json.WriteNumber("generated_at_ms", nowMs);
        json.WriteStartArray("sessions");
        using (var sessions = Command(connection, """
            SELECT s.id, s.working_directory, s.last_active_ms, (SELECT count(*) FROM tasks t WHERE t.session_id = s.id)
            FROM sessions s ORDER BY s.last_active_ms DESC LIMIT $limit
            """, ("$limit", SessionsListed)).ExecuteReader())
        {
            while (sessions.Read())
            {
                json.WriteStartObject();
                json.WriteString("id", sessions.GetString(0));
                json.WriteString("working_directory", sessions.GetString(1));
                json.WriteNumber("last_active_ms", sessions.GetInt64(2));
                json.WriteNumber("tasks", sessions.GetInt64(3));
                json.WriteEndObject();
            }
        }
        json.WriteEndArray();
        if (sessionId is not null) json.WriteString("session", sessionId);

        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        using (var grouped = (sessionId is null
            ? Command(connection, "SELECT status, count(*) FROM tasks GROUP BY status")
            : Command(connection, "SELECT status, count(*) FROM tasks WHERE session_id = $session GROUP BY status", ("$session", sessionId))).ExecuteReader())
        {
            while (grouped.Read()) counts[grouped.GetString(0)] = grouped.GetInt64(1);
        }
        json.WriteStartArray("columns");
        foreach (var status in TaskStatuses)
        {
            json.WriteStartObject();
            json.WriteString("status", status);
            json.WriteNumber("count", counts.GetValueOrDefault(status));
            json.WriteStartArray("tasks");
            var filter = sessionId is null ? "" : "AND t.session_id = $session";
            // "+s.status": not the status index, which would walk every completed subtask of the store for each card; the
            // (task_id, position) index finds a task's few subtasks (11.6 s → ms for the overview with 100,000 tasks).
            using var cards = Command(connection, $"""
                SELECT t.id, t.title, t.priority, t.session_id, t.updated_at_ms,
                       (SELECT count(*) FROM subtasks s WHERE s.task_id = t.id),
                       (SELECT count(*) FROM subtasks s WHERE s.task_id = t.id AND +s.status = 'completed')
                FROM tasks t WHERE t.status = $status {filter} ORDER BY t.updated_at_ms DESC, t.id DESC LIMIT $limit
                """, ("$status", status), ("$limit", CardsPerStatus), ("$session", sessionId)).ExecuteReader();
            while (cards.Read())
            {
                json.WriteStartObject();
                json.WriteString("id", cards.GetString(0));
                json.WriteString("title", cards.GetString(1));
                json.WriteString("priority", cards.GetString(2));
                json.WriteString("session_id", cards.GetString(3));
                json.WriteNumber("updated_at_ms", cards.GetInt64(4));
                json.WriteNumber("subtasks", cards.GetInt64(5));
                json.WriteNumber("completed_subtasks", cards.GetInt64(6));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();

        json.WriteStartArray("claims");
        using (var claims = Command(connection, """
            SELECT c.subtask_id, s.title, s.task_id, c.agent, c.granted_at, c.lease_until
            FROM subtask_claims c JOIN subtasks s ON s.id = c.subtask_id
            WHERE c.ended_at IS NULL ORDER BY c.lease_until LIMIT $limit
            """, ("$limit", ClaimsListed)).ExecuteReader())
        {
            while (claims.Read())
            {
                json.WriteStartObject();
                json.WriteString("subtask_id", claims.GetString(0));
                json.WriteString("subtask_title", claims.GetString(1));
                json.WriteString("task_id", claims.GetString(2));
                json.WriteString("agent", claims.GetString(3));
                json.WriteNumber("granted_at_ms", claims.GetInt64(4));
                json.WriteNumber("lease_until_ms", claims.GetInt64(5));
                json.WriteBoolean("expired", claims.GetInt64(5) <= nowMs);
                json.WriteEndObject();
            }
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>One task with its subtasks, their dependencies, claims and artifacts (listed, not inlined); false when there is no such task.</summary>
    public static bool Task(SqliteConnection connection, string taskId, long nowMs, Utf8JsonWriter json)
    {
        using var read = connection.BeginTransaction(deferred: true);
        using (var task = Command(connection, """
            SELECT t.id, t.title, t.description, t.status, t.priority, t.complexity, t.cancel_reason, t.created_at_ms, t.updated_at_ms,
                   s.id, s.working_directory
            FROM tasks t JOIN sessions s ON s.id = t.session_id WHERE t.id = $id
            """, ("$id", taskId)).ExecuteReader())
        {
            if (!task.Read()) return false;
            json.WriteStartObject();
            json.WriteString("id", task.GetString(0));
            json.WriteString("title", task.GetString(1));
            json.WriteString("description", task.GetString(2));
            json.WriteString("status", task.GetString(3));
            json.WriteString("priority", task.GetString(4));
            json.WriteString("complexity", task.GetString(5));
            WriteNullable(json, "cancel_reason", task, 6);
            json.WriteNumber("created_at_ms", task.GetInt64(7));
            json.WriteNumber("updated_at_ms", task.GetInt64(8));
            json.WriteString("session_id", task.GetString(9));
            json.WriteString("working_directory", task.GetString(10));
        }

        var dependencies = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        using (var edges = Command(connection, """
            SELECT d.subtask_id, d.depends_on_id FROM subtask_dependencies d JOIN subtasks s ON s.id = d.subtask_id WHERE s.task_id = $id
            """, ("$id", taskId)).ExecuteReader())
        {
            while (edges.Read())
            {
                if (!dependencies.TryGetValue(edges.GetString(0), out var list)) dependencies[edges.GetString(0)] = list = [];
                list.Add(edges.GetString(1));
            }
        }
        var artifacts = new Dictionary<string, List<(string Id, string Type, long Length, long CreatedAt)>>(StringComparer.Ordinal);
        using (var rows = Command(connection, """
            SELECT a.subtask_id, a.id, a.type, length(a.content), a.created_at_ms
            FROM artifacts a JOIN subtasks s ON s.id = a.subtask_id WHERE s.task_id = $id ORDER BY a.created_at_ms, a.id
            """, ("$id", taskId)).ExecuteReader())
        {
            while (rows.Read())
            {
                if (!artifacts.TryGetValue(rows.GetString(0), out var list)) artifacts[rows.GetString(0)] = list = [];
                list.Add((rows.GetString(1), rows.GetString(2), rows.GetInt64(3), rows.GetInt64(4)));
            }
        }

        json.WriteStartArray("subtasks");
        using (var subtasks = Command(connection, """
            SELECT s.id, s.key, s.position, s.title, s.role, s.status, s.status_reason, s.result_summary, s.next_action,
                   s.review_required, s.updated_at_ms, c.agent, c.lease_until
            FROM subtasks s LEFT JOIN subtask_claims c ON c.subtask_id = s.id AND c.ended_at IS NULL
            WHERE s.task_id = $id ORDER BY s.position
            """, ("$id", taskId)).ExecuteReader())
        {
            while (subtasks.Read())
            {
                var id = subtasks.GetString(0);
                json.WriteStartObject();
                json.WriteString("id", id);
                json.WriteString("key", subtasks.GetString(1));
                json.WriteNumber("position", subtasks.GetInt64(2));
                json.WriteString("title", subtasks.GetString(3));
                json.WriteString("role", subtasks.GetString(4));
                json.WriteString("status", subtasks.GetString(5));
                WriteNullable(json, "status_reason", subtasks, 6);
                WriteNullable(json, "result_summary", subtasks, 7);
                WriteNullable(json, "next_action", subtasks, 8);
                json.WriteBoolean("review_required", subtasks.GetInt64(9) != 0);
                json.WriteNumber("updated_at_ms", subtasks.GetInt64(10));
                json.WriteStartArray("depends_on");
                foreach (var on in dependencies.GetValueOrDefault(id) ?? []) json.WriteStringValue(on);
                json.WriteEndArray();
                if (subtasks.IsDBNull(11)) json.WriteNull("claim");
                else
                {
                    json.WriteStartObject("claim");
                    json.WriteString("agent", subtasks.GetString(11));
                    json.WriteNumber("lease_until_ms", subtasks.GetInt64(12));
                    json.WriteBoolean("expired", subtasks.GetInt64(12) <= nowMs);
                    json.WriteEndObject();
                }
                json.WriteStartArray("artifacts");
                foreach (var artifact in artifacts.GetValueOrDefault(id) ?? [])
                {
                    json.WriteStartObject();
                    json.WriteString("id", artifact.Id);
                    json.WriteString("type", artifact.Type);
                    json.WriteNumber("length", artifact.Length);
                    json.WriteNumber("created_at_ms", artifact.CreatedAt);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
        }
        json.WriteEndArray();
        json.WriteEndObject();
        return true;
    }

    /// <summary>One page of an artifact's text (characters <paramref name="offset"/> on); false when there is no such artifact.</summary>
    public static bool Artifact(SqliteConnection connection, string artifactId, long offset, int length, Utf8JsonWriter json)
    {
        using var rows = Command(connection, """
            SELECT a.id, a.subtask_id, a.type, length(a.content), substr(a.content, $from, $length), a.created_at_ms
            FROM artifacts a WHERE a.id = $id
            """, ("$id", artifactId), ("$from", offset + 1), ("$length", length)).ExecuteReader();
        if (!rows.Read()) return false;
        var total = rows.GetInt64(3);
        var text = rows.GetString(4);
        json.WriteStartObject();
        json.WriteString("id", rows.GetString(0));
        json.WriteString("subtask_id", rows.GetString(1));
        json.WriteString("type", rows.GetString(2));
        json.WriteNumber("length", total);
        json.WriteNumber("created_at_ms", rows.GetInt64(5));
        json.WriteNumber("offset", offset);
        json.WriteString("text", text);
        var next = offset + text.Length;
        if (next < total) json.WriteNumber("next_offset", next);
        else json.WriteNull("next_offset");
        json.WriteEndObject();
        return true;
    }

    /// <summary>The restarts, newest first, with their durations.</summary>
    public static void Restarts(SqliteConnection connection, Utf8JsonWriter json)
    {
        json.WriteStartArray("restarts");
        using var rows = Command(connection, """
            SELECT id, started_at_ms, completed_at_ms, reason, phase, success, duration_ms, error_code, pid
            FROM restart_history ORDER BY started_at_ms DESC, id DESC LIMIT $limit
            """, ("$limit", RestartsListed)).ExecuteReader();
        while (rows.Read())
        {
            json.WriteStartObject();
            json.WriteNumber("id", rows.GetInt64(0));
            json.WriteNumber("started_at_ms", rows.GetInt64(1));
            if (rows.IsDBNull(2)) json.WriteNull("completed_at_ms"); else json.WriteNumber("completed_at_ms", rows.GetInt64(2));
            json.WriteString("reason", rows.GetString(3));
            json.WriteString("phase", rows.GetString(4));
            if (rows.IsDBNull(5)) json.WriteNull("success"); else json.WriteBoolean("success", rows.GetInt64(5) != 0);
            if (rows.IsDBNull(6)) json.WriteNull("duration_ms"); else json.WriteNumber("duration_ms", Math.Round(rows.GetDouble(6), 2));
            WriteNullable(json, "error_code", rows, 7);
            json.WriteNumber("pid", rows.GetInt64(8));
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    /// <summary>Whether a restart is under way (its history row not closed yet), as far as the store tells.</summary>
    public static bool RestartUnderWay(SqliteConnection connection) =>
        Convert.ToInt64(Command(connection, "SELECT count(*) FROM restart_history WHERE completed_at_ms IS NULL AND success IS NULL").ExecuteScalar()) > 0;

    public static long TaskCount(SqliteConnection connection) =>
        Convert.ToInt64(Command(connection, "SELECT count(*) FROM tasks").ExecuteScalar());

    private static void WriteNullable(Utf8JsonWriter json, string name, SqliteDataReader reader, int column)
    {
        if (reader.IsDBNull(column)) json.WriteNull(name);
        else json.WriteString(name, reader.GetString(column));
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }
}
