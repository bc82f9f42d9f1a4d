using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Orchestrator.Orchestration.Storage;

/// <summary>
/// The commands of one connection kept by their SQL text, so that a statement a tool runs on every call is compiled
/// once per connection, not once per call (Microsoft.Data.Sqlite keeps a command's prepared statement between its
/// executions). Bounded: texts past <see cref="MaxStatements"/> (lists of varying length build new texts) run uncached.
/// A command in use (a statement run while the same text is still being read) is not handed out twice: that use gets a
/// fresh one. The cache lives as long as its connection, whose closing finalizes the statements.
/// </summary>
internal sealed class StatementCache
{
    public const int MaxStatements = 256;

    private static readonly ConditionalWeakTable<SqliteConnection, StatementCache> s_caches = new();

    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    private sealed class Entry(SqliteCommand command)
    {
        public readonly SqliteCommand Command = command;
        public bool InUse;
    }

    /// <summary>Runs <paramref name="text"/> with these parameters through <paramref name="run"/>, on the cached command when it can.</summary>
    public static T Run<T>(Sql sql, string text, ReadOnlySpan<(string Name, object? Value)> parameters, Func<SqliteCommand, T> run)
    {
        var cache = s_caches.GetValue(sql.Connection, static _ => new StatementCache());
        if (!cache._entries.TryGetValue(text, out var entry) && cache._entries.Count < MaxStatements)
            cache._entries[text] = entry = new Entry(sql.Command(text));
        if (entry is null || entry.InUse)
        {
            using var fresh = sql.Command(text, parameters);
            return run(fresh);
        }
        entry.InUse = true;
        try
        {
            sql.Bind(entry.Command, parameters);
            return run(entry.Command);
        }
        finally
        {
            entry.InUse = false;
        }
    }
}
