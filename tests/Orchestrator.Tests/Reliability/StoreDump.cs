using System.Text;
using Microsoft.Data.Sqlite;
using Orchestrator.Tests.Unit;

namespace Orchestrator.Tests.Reliability;

/// <summary>
/// Every table of a data directory's SQLite store as text (schema, then each row in rowid order), read through a
/// read-only connection while the server may be running (WAL: a reader sees what is committed), so that two dumps
/// can be compared for "nothing changed".
/// </summary>
internal static class StoreDump
{
    public static string Of(string dataDirectory)
    {
        JitSqlite.Ensure();
        var path = Path.Combine(dataDirectory, "orchestrator.db");
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly }.ToString());
        connection.Open();
        var tables = Query(connection, "SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .Select(row => (Name: (string)row[0]!, Sql: (string)row[1]!)).ToList();
        var dump = new StringBuilder();
        foreach (var (name, sql) in tables)
        {
            dump.AppendLine(sql);
            var order = sql.Contains("WITHOUT ROWID", StringComparison.OrdinalIgnoreCase) ? "" : " ORDER BY rowid";
            foreach (var row in Query(connection, $"SELECT * FROM \"{name}\"{order}"))
                dump.AppendLine(name + ": " + string.Join(" | ", row.Select(v => v switch { null => "NULL", byte[] b => Convert.ToHexString(b), _ => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) })));
        }
        return dump.ToString();
    }

    /// <summary>The result of <c>PRAGMA integrity_check</c>: "ok" for a sound database.</summary>
    public static string IntegrityCheck(string dataDirectory)
    {
        JitSqlite.Ensure();
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDirectory, "orchestrator.db") }.ToString());
        connection.Open();
        return string.Join("\n", Query(connection, "PRAGMA integrity_check").Select(row => row[0]));
    }

    public static List<object?[]> Query(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }
}
