using Microsoft.Data.Sqlite;

namespace Orchestrator.Orchestration.Storage;

/// <summary>
/// Ranked full-text search (FTS5, <c>search_index</c>, kept in step by triggers): the tasks whose own text or whose
/// subtasks' text matches, best match first (bm25, titles weighing four times the rest; ties in index order), one page
/// at a time, each with a snippet of its best match.
/// </summary>
internal static class SearchRepository
{
    /// <summary>A task the search found, with where it matched best.</summary>
    public sealed record Hit(string TaskId, string? SubtaskId, string Snippet);

    /// <summary>The FTS5 query was not valid; the message is SQLite's.</summary>
    public sealed class InvalidQueryException(string message) : Exception(message);

    /// <summary>
    /// One page of the tasks matching <paramref name="query"/> (FTS5 syntax) and <paramref name="filter"/>, plus
    /// whether more follow. The statement orders by rank alone, so that FTS5 yields the matching documents in rank
    /// order itself (no sort of every match by SQLite, and a snippet computed only for a row read); they are collapsed
    /// to their tasks as they come, and the read stops at the page's end. The tasks table is joined only to filter.
    /// </summary>
    public static (List<Hit> Hits, bool HasMore) Page(Sql sql, string query, TaskRepository.Filter filter, int limit, int offset)
    {
        var (where, parameters) = TaskRepository.Where(filter, "t.");
        parameters.Add(("$query", query));
        using var command = sql.Command($"""
            SELECT d.task_id, d.subtask_id, snippet(search_index, -1, '[', ']', '…', 12)
            FROM search_index JOIN search_documents d ON d.id = search_index.rowid{(where.Length == 0 ? "" : " JOIN tasks t ON t.id = d.task_id")}
            WHERE search_index MATCH $query{(where.Length == 0 ? "" : " AND " + where)}
            ORDER BY search_index.rank
            """, parameters.ToArray());
        var hits = new List<Hit>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var skipped = 0;
        try
        {
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var taskId = reader.GetString(0);
                if (!seen.Add(taskId)) continue;
                if (skipped < offset)
                {
                    skipped++;
                    continue;
                }
                if (hits.Count == limit) return (hits, true);
                var subtaskId = reader.GetString(1);
                hits.Add(new Hit(taskId, subtaskId.Length == 0 ? null : subtaskId, reader.GetString(2)));
            }
        }
        catch (SqliteException ex) when (IsQueryError(ex))
        {
            // SqliteException says "SQLite Error 1: 'fts5: syntax error near "%"'."; keep SQLite's own words.
            var message = ex.Message;
            var (first, last) = (message.IndexOf('\''), message.LastIndexOf('\''));
            throw new InvalidQueryException(first >= 0 && last > first ? message[(first + 1)..last] : message);
        }
        return (hits, false);
    }

    /// <summary>
    /// The errors FTS5 raises for a query it cannot parse ("fts5: syntax error near …", "unterminated string", "no such
    /// column: …" for an unknown column filter, …). They are all SQLITE_ERROR, and the query is the only part of this
    /// statement the caller controls (its SQL is fixed and exercised by every search), so SQLITE_ERROR here means the query.
    /// </summary>
    private static bool IsQueryError(SqliteException ex) => ex.SqliteErrorCode == 1;
}
