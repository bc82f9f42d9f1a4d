using Microsoft.Data.Sqlite;

namespace Orchestrator.Orchestration.Storage;

/// <summary>The connection and (for writes) the transaction of one tool call; Microsoft.Data.Sqlite requires every command to name the open transaction.</summary>
internal readonly record struct Sql(SqliteConnection Connection, SqliteTransaction? Transaction)
{
    public SqliteCommand Command(string text, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var command = Connection.CreateCommand();
        command.CommandText = text;
        Bind(command, parameters);
        return command;
    }

    /// <summary>Names this call's transaction on <paramref name="command"/> and gives it these parameters (an earlier run's go).</summary>
    public void Bind(SqliteCommand command, ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        command.Transaction = Transaction;
        command.Parameters.Clear();
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
    }

    public int Execute(string text, params ReadOnlySpan<(string Name, object? Value)> parameters) =>
        StatementCache.Run(this, text, parameters, static command => command.ExecuteNonQuery());

    public long Scalar(string text, params ReadOnlySpan<(string Name, object? Value)> parameters) =>
        StatementCache.Run(this, text, parameters,
            static command => Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));

    public List<T> List<T>(Func<SqliteDataReader, T> read, string text, params ReadOnlySpan<(string Name, object? Value)> parameters) =>
        StatementCache.Run(this, text, parameters, command =>
        {
            using var reader = command.ExecuteReader();
            var items = new List<T>();
            while (reader.Read()) items.Add(read(reader));
            return items;
        });

    public static string? NullableString(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>Parameters <c>$p0, $p1, …</c> for an <c>IN (…)</c> list of <paramref name="values"/>, and the list's text.</summary>
    public static (string Names, (string, object?)[] Parameters) InList(string prefix, IReadOnlyCollection<string> values)
    {
        var names = new System.Text.StringBuilder();
        var parameters = new (string, object?)[values.Count];
        var i = 0;
        foreach (var value in values)
        {
            if (i > 0) names.Append(", ");
            names.Append(prefix).Append(i);
            parameters[i] = (prefix + i, value);
            i++;
        }
        return (names.ToString(), parameters);
    }
}
