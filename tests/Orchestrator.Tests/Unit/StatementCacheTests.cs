using Microsoft.Data.Sqlite;
using Orchestrator.Orchestration.Storage;

namespace Orchestrator.Tests.Unit;

/// <summary>
/// The per-connection statement cache behind <see cref="Sql"/>: a statement run again with other parameters answers for
/// them (not the first call's), inside and outside transactions; the same text run while it is still being read gets a
/// command of its own; texts past the bound still run; and a connection closed with cached statements lets go of its file.
/// </summary>
public class StatementCacheTests
{
    static StatementCacheTests() => JitSqlite.Ensure();

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        new Sql(connection, null).Execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
        return connection;
    }

    /// <summary>Rows 1 to 3, named n1 to n3.</summary>
    private static void Seed(SqliteConnection connection)
    {
        for (var i = 1; i <= 3; i++) new Sql(connection, null).Execute("INSERT INTO t (id, name) VALUES ($id, $name)", ("$id", i), ("$name", $"n{i}"));
    }

    [Test]
    public async Task A_cached_statement_binds_each_call_s_parameters_and_each_call_s_transaction()
    {
        using var dir = new UnitTempDirectory();
        using var connection = Open(dir.File("cache.db"));
        Seed(connection);

        const string ByName = "SELECT id FROM t WHERE name = $name";
        await Assert.That(new Sql(connection, null).Scalar(ByName, ("$name", "n2"))).IsEqualTo(2);
        await Assert.That(new Sql(connection, null).Scalar(ByName, ("$name", "n3"))).IsEqualTo(3);

        // The same text inside a transaction, then in another one rolled back: each call runs in its own.
        using (var transaction = connection.BeginTransaction())
        {
            new Sql(connection, transaction).Execute("INSERT INTO t (id, name) VALUES ($id, $name)", ("$id", 4), ("$name", "n4"));
            await Assert.That(new Sql(connection, transaction).Scalar(ByName, ("$name", "n4"))).IsEqualTo(4);
            transaction.Commit();
        }
        using (var transaction = connection.BeginTransaction())
        {
            new Sql(connection, transaction).Execute("INSERT INTO t (id, name) VALUES ($id, $name)", ("$id", 5), ("$name", "n5"));
            transaction.Rollback();
        }
        await Assert.That(new Sql(connection, null).Scalar("SELECT count(*) FROM t")).IsEqualTo(4);
    }

    [Test]
    public async Task The_same_text_run_while_it_is_being_read_gets_a_command_of_its_own()
    {
        using var dir = new UnitTempDirectory();
        using var connection = Open(dir.File("nested.db"));
        Seed(connection);

        const string Names = "SELECT name FROM t WHERE id >= $from ORDER BY id";
        var sql = new Sql(connection, null);
        // While the outer read of the text is open, each row reads the same text again with other parameters.
        var pairs = sql.List(r => (r.GetString(0), string.Join(",", sql.List(inner => inner.GetString(0), Names, ("$from", 3)))), Names, ("$from", 1));
        await Assert.That(pairs.Select(p => p.Item1)).IsEquivalentTo(["n1", "n2", "n3"]);
        await Assert.That(pairs.All(p => p.Item2 == "n3")).IsTrue();
    }

    [Test]
    public async Task Texts_past_the_bound_still_run_and_a_closed_connection_lets_go_of_its_file()
    {
        using var dir = new UnitTempDirectory();
        var path = dir.File("bound.db");
        using (var connection = Open(path))
        {
            var sql = new Sql(connection, null);
            for (var i = 0; i < StatementCache.MaxStatements + 50; i++)
                await Assert.That(sql.Scalar($"SELECT {i} + count(*) FROM t")).IsEqualTo(i);
            await Assert.That(OpenDescriptorsOf(path)).IsGreaterThan(0); // what the check below looks for, while open
        }
        // Every cached statement was finalized with the connection: no descriptor of this process still names the file
        // (SQLite keeps a connection with unfinalized statements open, a "zombie", until they are).
        await Assert.That(OpenDescriptorsOf(path)).IsEqualTo(0);
    }

    private static int OpenDescriptorsOf(string path) =>
        new DirectoryInfo("/proc/self/fd").EnumerateFileSystemInfos().Count(fd =>
        {
            try
            {
                return fd.LinkTarget == path;
            }
            catch (IOException)
            {
                return false; // closed while being listed
            }
        });
}
