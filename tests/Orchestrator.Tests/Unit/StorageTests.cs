using Microsoft.Data.Sqlite;
using Orchestrator.Reboot;
using Orchestrator.Reboot.Contract;
using Orchestrator.Storage;

namespace Orchestrator.Tests.Unit;

/// <summary>The SQLite store on a real temporary file: migrations, transactions and the restart history.</summary>
public class StorageTests
{
    static StorageTests() => JitSqlite.Ensure();

    private static long UserVersion(Database db) => db.Read(c =>
    {
        using var command = c.CreateCommand();
        command.CommandText = "PRAGMA user_version";
        return (long)command.ExecuteScalar()!;
    });

    private static long Count(Database db, string table) => db.Read(c =>
    {
        using var command = c.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM {table}";
        return (long)command.ExecuteScalar()!;
    });

    [Test]
    public async Task A_new_database_is_migrated_to_the_latest_schema()
    {
        using var dir = new UnitTempDirectory();
        using var db = Database.Open(dir.File("orchestrator.db"));
        await Assert.That(Migrations.Latest).IsGreaterThanOrEqualTo(1);
        await Assert.That(db.SchemaVersion).IsEqualTo(Migrations.Latest);
        await Assert.That(UserVersion(db)).IsEqualTo((long)Migrations.Latest);
        await Assert.That(db.IsOpen).IsTrue();
        await Assert.That(Count(db, "restart_history")).IsEqualTo(0L);
        var journal = db.Read(c => { using var cmd = c.CreateCommand(); cmd.CommandText = "PRAGMA journal_mode"; return (string)cmd.ExecuteScalar()!; });
        await Assert.That(journal).IsEqualTo("wal");
        await Assert.That(db.Probe()).IsGreaterThanOrEqualTo(0.0);
    }

    [Test]
    public async Task Reopening_is_idempotent_and_keeps_the_data()
    {
        using var dir = new UnitTempDirectory();
        var path = dir.File("orchestrator.db");
        using (var db = Database.Open(path))
        {
            new RestartHistoryStore(db).Begin(new RestartServerArgs(), "manual_request", 1_000, 7, "s");
        }
        using (var db = Database.Open(path))
        {
            await Assert.That(db.SchemaVersion).IsEqualTo(Migrations.Latest);
            await Assert.That(UserVersion(db)).IsEqualTo((long)Migrations.Latest);
            await Assert.That(Count(db, "restart_history")).IsEqualTo(1L);

            db.Close();
            await Assert.That(db.IsOpen).IsFalse();
            await Assert.That(Assert.Throws<InvalidOperationException>(() => Count(db, "restart_history")).Message).Contains("closed");
            db.Reopen();
            db.Reopen(); // a second Reopen on an open database is a no-op
            await Assert.That(db.IsOpen).IsTrue();
            await Assert.That(Count(db, "restart_history")).IsEqualTo(1L);
        }
    }

    [Test]
    public async Task A_database_from_a_newer_build_is_refused()
    {
        using var dir = new UnitTempDirectory();
        var path = dir.File("orchestrator.db");
        using (var db = Database.Open(path))
        {
            db.Write((c, t) => { Database.Execute(c, $"PRAGMA user_version = {Migrations.Latest + 1}", t); return 0; });
        }
        var ex = Assert.Throws<InvalidOperationException>(() => Database.Open(path));
        await Assert.That(ex.Message).Contains($"schema version {Migrations.Latest + 1} is newer than this build knows ({Migrations.Latest})");
    }

    [Test]
    public async Task Migrations_apply_from_version_zero_on_a_bare_connection()
    {
        using var dir = new UnitTempDirectory();
        using (Database.Open(dir.File("provider.db"))) { } // makes sure the SQLite provider is initialised
        using var connection = new SqliteConnection($"Data Source={dir.File("bare.db")};Pooling=False");
        connection.Open();
        await Assert.That(Migrations.Apply(connection)).IsEqualTo(Migrations.Latest);
        await Assert.That(Migrations.Apply(connection)).IsEqualTo(Migrations.Latest); // twice: nothing to do, no error
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE name IN ('restart_history', 'restart_history_started')";
        await Assert.That((long)command.ExecuteScalar()!).IsEqualTo(2L);
    }

    [Test]
    public async Task A_write_holds_one_pending_transaction_and_commits()
    {
        using var dir = new UnitTempDirectory();
        using var db = Database.Open(dir.File("orchestrator.db"));
        await Assert.That(db.PendingTransactions).IsEqualTo(0);
        var inside = db.Write((c, t) =>
        {
            Database.Execute(c, "CREATE TABLE t (x INTEGER)", t);
            Database.Execute(c, "INSERT INTO t VALUES (1), (2)", t);
            return db.PendingTransactions;
        });
        await Assert.That(inside).IsEqualTo(1);
        await Assert.That(db.PendingTransactions).IsEqualTo(0);
        await Assert.That(Count(db, "t")).IsEqualTo(2L);
    }

    [Test]
    public async Task A_throwing_write_rolls_back_and_releases_its_transaction()
    {
        using var dir = new UnitTempDirectory();
        using var db = Database.Open(dir.File("orchestrator.db"));
        db.Write((c, t) => { Database.Execute(c, "CREATE TABLE t (x INTEGER)", t); return 0; });
        var ex = Assert.Throws<InvalidOperationException>(() => db.Write<int>((c, t) =>
        {
            Database.Execute(c, "INSERT INTO t VALUES (1)", t);
            throw new InvalidOperationException("boom");
        }));
        await Assert.That(ex.Message).IsEqualTo("boom");
        await Assert.That(db.PendingTransactions).IsEqualTo(0);
        await Assert.That(Count(db, "t")).IsEqualTo(0L);
        // The connection is usable afterwards (no transaction left open).
        db.Write((c, t) => { Database.Execute(c, "INSERT INTO t VALUES (5)", t); return 0; });
        await Assert.That(Count(db, "t")).IsEqualTo(1L);
    }

    [Test]
    public async Task A_failing_statement_rolls_back_the_whole_write()
    {
        using var dir = new UnitTempDirectory();
        using var db = Database.Open(dir.File("orchestrator.db"));
        var store = new RestartHistoryStore(db);
        store.Begin(new RestartServerArgs(), "manual_request", 1, 1, "s");
        Assert.Throws<SqliteException>(() => db.Write((c, t) =>
        {
            Database.Execute(c, "DELETE FROM restart_history", t);
            Database.Execute(c, "INSERT INTO no_such_table VALUES (1)", t);
            return 0;
        }));
        await Assert.That(Count(db, "restart_history")).IsEqualTo(1L);
        await Assert.That(db.PendingTransactions).IsEqualTo(0);
    }

    // ---- Faults of the environment ----

    [Test]
    [Arguments("deleted")]
    [Arguments("replaced")]
    public async Task A_write_to_a_database_deleted_or_replaced_under_it_is_refused_and_nothing_is_written(string how)
    {
        using var dir = new UnitTempDirectory();
        var path = dir.File("orchestrator.db");
        using var db = Database.Open(path);
        await Assert.That(db.WriteRefusal()).IsNull();
        if (how == "deleted")
        {
            File.Delete(path);
        }
        else
        {
            File.Copy(path, path + ".copy");
            File.Move(path + ".copy", path, overwrite: true);
        }

        var fault = Assert.Throws<StoreFaultException>(() => new RestartHistoryStore(db).Begin(new RestartServerArgs(), "manual_request", 1, 1, "s"));
        await Assert.That(fault.Kind).IsEqualTo(StoreFaultKind.Detached);
        await Assert.That(fault.Message).Contains(how);
        await Assert.That(db.WriteRefusal()!.Kind).IsEqualTo(StoreFaultKind.Detached);
        await Assert.That(db.PendingTransactions).IsEqualTo(0);
        // The open file still answers reads: what was acknowledged can be read back before the process ends.
        await Assert.That(Count(db, "restart_history")).IsEqualTo(0L);
    }

    [Test]
    public async Task A_write_lock_held_by_another_connection_fails_a_write_after_its_wait_and_the_probe_reports_it()
    {
        using var dir = new UnitTempDirectory();
        var path = dir.File("orchestrator.db");
        using var db = Database.Open(path);
        using var other = new SqliteConnection($"Data Source={path};Pooling=False");
        other.Open();
        using (var begin = other.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE";
            begin.ExecuteNonQuery();
        }

        var fault = Assert.Throws<StoreFaultException>(() =>
            new RestartHistoryStore(db).Begin(new RestartServerArgs(), "manual_request", 1, 1, "s", TimeSpan.FromMilliseconds(200)));
        await Assert.That(fault.Kind).IsEqualTo(StoreFaultKind.Locked);
        var (_, problem) = db.Probe(TimeSpan.FromMilliseconds(200));
        await Assert.That(problem!.Kind).IsEqualTo(StoreFaultKind.Locked);
        await Assert.That(db.PendingTransactions).IsEqualTo(0);

        using (var rollback = other.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK";
            rollback.ExecuteNonQuery();
        }
        await Assert.That(db.Probe(TimeSpan.FromMilliseconds(200)).Problem).IsNull();
        new RestartHistoryStore(db).Begin(new RestartServerArgs(), "manual_request", 1, 1, "s");
        await Assert.That(Count(db, "restart_history")).IsEqualTo(1L);
    }

    [Test]
    public async Task Connections_migrating_a_new_database_at_the_same_moment_all_succeed()
    {
        for (var round = 0; round < 20; round++)
        {
            using var dir = new UnitTempDirectory();
            var path = dir.File("orchestrator.db");
            using var start = new Barrier(4);
            var opened = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
            {
                start.SignalAndWait();
                return Database.Open(path);
            })).ToArray();
            var databases = await Task.WhenAll(opened);
            foreach (var db in databases)
            {
                await Assert.That(db.SchemaVersion).IsEqualTo(Migrations.Latest);
                db.Dispose();
            }
            using var check = Database.Open(path);
            await Assert.That(UserVersion(check)).IsEqualTo((long)Migrations.Latest);
        }
    }

    // ---- RestartHistoryStore ----

    [Test]
    public async Task History_begin_finish_and_summary()
    {
        using var dir = new UnitTempDirectory();
        using var db = Database.Open(dir.File("orchestrator.db"));
        var store = new RestartHistoryStore(db);

        var empty = store.Summary(10, includeErrors: true);
        await Assert.That(empty.TotalRestarts).IsEqualTo(0);
        await Assert.That(empty.RecentRestarts).IsEmpty();
        await Assert.That(empty.LastSuccessfulRestart).IsNull();

        var first = store.Begin(new RestartServerArgs { Timeout = 60 }, "configuration_update", 1_000_000, 11, "s1");
        var second = store.Begin(new RestartServerArgs { Graceful = false }, "error_recovery", 2_000_000, 12, "s1");
        var third = store.Begin(new RestartServerArgs(), "manual_request", 3_000_000, 13, "s1");
        await Assert.That(second).IsEqualTo(first + 1);
        await Assert.That(third).IsEqualTo(first + 2);

        store.Finish(first, true, "complete", 1_500, 1_001_500, sessionRestored: true);
        store.Finish(second, false, "failed", 250, 2_000_250, "TIMEOUT_EXCEEDED", "too slow");

        var summary = store.Summary(10, includeErrors: true);
        await Assert.That(summary.TotalRestarts).IsEqualTo(3);
        await Assert.That(summary.LastSuccessfulRestart).IsEqualTo(DateTimeOffset.FromUnixTimeMilliseconds(1_001_500));
        var recent = summary.RecentRestarts;
        await Assert.That(recent.Select(r => r.Reason).ToList())
            .IsEquivalentTo(["manual_request", "error_recovery", "configuration_update"], TUnit.Assertions.Enums.CollectionOrdering.Matching);

        await Assert.That(recent[0].Success).IsFalse(); // still open
        await Assert.That(recent[0].Phase).IsEqualTo("maintenance_mode");
        await Assert.That(recent[0].Duration).IsNull();
        await Assert.That(recent[0].Timestamp).IsEqualTo(DateTimeOffset.FromUnixTimeMilliseconds(3_000_000));

        await Assert.That(recent[1].Success).IsFalse();
        await Assert.That(recent[1].Phase).IsEqualTo("failed");
        await Assert.That(recent[1].Duration).IsEqualTo(0.25);
        await Assert.That(recent[1].ErrorCode).IsEqualTo("TIMEOUT_EXCEEDED");
        await Assert.That(recent[1].Error).IsEqualTo("too slow");

        await Assert.That(recent[2].Success).IsTrue();
        await Assert.That(recent[2].Phase).IsEqualTo("complete");
        await Assert.That(recent[2].Duration).IsEqualTo(1.5);
        await Assert.That(recent[2].ErrorCode).IsNull();

        var limited = store.Summary(2, includeErrors: false);
        await Assert.That(limited.RecentRestarts.Count).IsEqualTo(2);
        await Assert.That(limited.TotalRestarts).IsEqualTo(3);
        await Assert.That(limited.RecentRestarts[1].ErrorCode).IsNull();
        await Assert.That(limited.RecentRestarts[1].Error).IsNull();
    }

    [Test]
    public async Task Begin_records_the_arguments()
    {
        using var dir = new UnitTempDirectory();
        using var db = Database.Open(dir.File("orchestrator.db"));
        var id = new RestartHistoryStore(db).Begin(new RestartServerArgs { Graceful = false, PreserveState = false, Timeout = 45 },
            "schema_migration", 123, 4242, "session-x");
        var row = db.Read(c =>
        {
            using var command = c.CreateCommand();
            command.CommandText = "SELECT graceful, preserve_state, timeout_s, pid, session_id, success, phase FROM restart_history WHERE id = $id";
            command.Parameters.AddWithValue("$id", id);
            using var r = command.ExecuteReader();
            r.Read();
            return (r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetString(4), r.IsDBNull(5), r.GetString(6));
        });
        await Assert.That(row).IsEqualTo((0L, 0L, 45L, 4242L, "session-x", true, "maintenance_mode"));
    }

    [Test]
    public async Task FailUnfinished_closes_only_the_open_restarts()
    {
        using var dir = new UnitTempDirectory();
        using var db = Database.Open(dir.File("orchestrator.db"));
        var store = new RestartHistoryStore(db);
        var done = store.Begin(new RestartServerArgs(), "manual_request", 10_000, 1, "s");
        store.Finish(done, true, "complete", 100, 10_100);
        store.Begin(new RestartServerArgs(), "manual_request", 20_000, 1, "s");
        store.Begin(new RestartServerArgs(), "manual_request", 30_000, 1, "s");

        await Assert.That(store.FailUnfinished("PROCESS_FAILED", "died", 50_000)).IsEqualTo(2);
        await Assert.That(store.FailUnfinished("PROCESS_FAILED", "died", 60_000)).IsEqualTo(0);

        var recent = store.Summary(10, includeErrors: true).RecentRestarts;
        await Assert.That(recent[0].Phase).IsEqualTo("failed");
        await Assert.That(recent[0].Duration).IsEqualTo(20.0); // 50 s - 30 s
        await Assert.That(recent[0].ErrorCode).IsEqualTo("PROCESS_FAILED");
        await Assert.That(recent[0].Error).IsEqualTo("died");
        await Assert.That(recent[1].Duration).IsEqualTo(30.0);
        await Assert.That(recent[2].Phase).IsEqualTo("complete");
        await Assert.That(recent[2].Success).IsTrue();
    }

    [Test]
    public async Task FailUnfinished_leaves_the_open_restarts_of_processes_it_does_not_own()
    {
        using var dir = new UnitTempDirectory();
        using var db = Database.Open(dir.File("orchestrator.db"));
        var store = new RestartHistoryStore(db);
        store.Begin(new RestartServerArgs(), "manual_request", 20_000, 111, "s");
        store.Begin(new RestartServerArgs(), "manual_request", 30_000, 222, "s");

        await Assert.That(store.FailUnfinished("PROCESS_FAILED", "died", 50_000, pid => pid == 111)).IsEqualTo(1);
        var recent = store.Summary(10, includeErrors: true).RecentRestarts;
        await Assert.That(recent[0].Phase).IsEqualTo("maintenance_mode"); // pid 222: still someone else's restart
        await Assert.That(recent[1].Phase).IsEqualTo("failed");
    }

    [Test]
    public async Task Reconnection_stats_count_restored_sessions_and_lost_ones()
    {
        using var dir = new UnitTempDirectory();
        using var db = Database.Open(dir.File("orchestrator.db"));
        var store = new RestartHistoryStore(db);
        await Assert.That(store.ReconnectionStats()).IsEqualTo((0, 0, 0.0));

        void Row(bool success, string phase, double ms, string? code, bool restored)
        {
            var id = store.Begin(new RestartServerArgs(), "manual_request", 1, 1, "s");
            store.Finish(id, success, phase, ms, 2, code, code is null ? null : "x", restored);
        }
        Row(true, "complete", 100, null, restored: true);
        Row(true, "complete", 300, null, restored: true);
        Row(true, "complete", 5_000, null, restored: false);           // success without a session: not a reconnection
        Row(false, "failed", 10, "STATE_CORRUPTION", restored: false);  // lost
        Row(false, "failed", 10, "PROCESS_FAILED", restored: false);    // lost
        Row(false, "failed", 10, "TIMEOUT_EXCEEDED", restored: false);  // aborted, session kept: not a failed reconnection
        store.Begin(new RestartServerArgs(), "manual_request", 1, 1, "s"); // still open
        var (successful, failed, average) = store.ReconnectionStats();
        await Assert.That(successful).IsEqualTo(2);
        await Assert.That(failed).IsEqualTo(2);
        await Assert.That(average).IsEqualTo(0.2);

        store.FailUnfinished("PROCESS_FAILED", "died", 100);
        await Assert.That(store.ReconnectionStats().Failed).IsEqualTo(3);
    }
}
