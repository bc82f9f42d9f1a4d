using Microsoft.Data.Sqlite;
using Orchestrator.Hosting;
using Orchestrator.Reboot;

namespace Orchestrator.Cli;

/// <summary>
/// <c>orchestrator doctor</c>: looks at the binary, the data directory, the database and the snapshot directory,
/// without changing anything, and prints what it found. Exit 0 when all is well, 1 when something needs attention.
/// </summary>
internal static class DoctorCommand
{
    public static int Run(ServerOptions options)
    {
        var problems = 0;
        void Report(bool ok, string subject, string finding)
        {
            if (!ok) problems++;
            Console.Out.WriteLine($"{(ok ? "ok  " : "FAIL")}  {subject,-10} {finding}");
        }

        var binary = ProcessImage.ExecutablePath;
        var binaryProblem = ProcessImage.Problem(binary);
        Report(binaryProblem is null, "binary", $"{binary} ({ServerInfo.Name} {ServerInfo.Version})" + (binaryProblem is null ? "" : ": " + binaryProblem));

        var dataDirectory = options.DataDirectory;
        if (!Directory.Exists(dataDirectory))
        {
            Report(!File.Exists(dataDirectory), "data dir", File.Exists(dataDirectory)
                ? $"{dataDirectory} is a file, not a directory"
                : $"{dataDirectory} does not exist yet (created on first start)");
            return problems == 0 ? 0 : 1;
        }
        var writable = CanWrite(dataDirectory);
        Report(writable, "data dir", dataDirectory + (writable ? "" : ": not writable"));

        var databasePath = options.DatabasePath;
        if (!File.Exists(databasePath)) Report(true, "database", $"{databasePath} does not exist yet (created on first start)");
        else problems += CheckDatabase(databasePath) ? 0 : 1;

        var snapshots = options.SnapshotDirectory;
        if (File.Exists(snapshots)) Report(false, "snapshots", $"{snapshots} is a file; restarts cannot write their snapshot");
        else if (!Directory.Exists(snapshots)) Report(true, "snapshots", $"{snapshots} does not exist yet (created at the first restart)");
        else
        {
            var left = Directory.GetFiles(snapshots, "restart-*.snap*");
            Report(CanWrite(snapshots), "snapshots", $"{snapshots}: {(CanWrite(snapshots) ? "writable" : "not writable")}, " +
                (left.Length == 0 ? "empty" : $"{left.Length} file(s) left: {string.Join(", ", left.Select(Path.GetFileName))} (removed at the next start once their process is gone)"));
        }
        Console.Out.WriteLine(problems == 0 ? "all checks passed" : $"{problems} problem(s) found");
        return problems == 0 ? 0 : 1;
    }

    private static bool CheckDatabase(string path)
    {
        Storage.Database.EnsureProvider();
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            connection.Open();
            string Scalar(string sql)
            {
                using var command = connection.CreateCommand();
                command.CommandText = sql;
                return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) ?? "";
            }
            var integrity = Scalar("PRAGMA quick_check");
            var version = int.Parse(Scalar("PRAGMA user_version"));
            var journal = Scalar("PRAGMA journal_mode");
            var restarts = version >= 1 ? Scalar("SELECT count(*) FROM restart_history") : "0";
            var tasks = version >= 2 ? Scalar("SELECT count(*) FROM tasks") : "0";
            var ok = integrity == "ok" && version <= Storage.Migrations.Latest;
            var finding = $"{path}: integrity {integrity}, schema {version} of {Storage.Migrations.Latest}, journal {journal}, {tasks} task(s), {restarts} restart(s) recorded";
            if (version > Storage.Migrations.Latest) finding += " (written by a newer build)";
            Console.Out.WriteLine($"{(ok ? "ok  " : "FAIL")}  {"database",-10} {finding}");
            return ok;
        }
        catch (SqliteException ex)
        {
            Console.Out.WriteLine($"FAIL  {"database",-10} {path}: {ex.Message}");
            return false;
        }
    }

    private static bool CanWrite(string directory) => Native.Libc.CanWrite(directory);
}
